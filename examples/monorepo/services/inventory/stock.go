package main

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"example.com/acme/libs/httpx"
	"example.com/acme/libs/platform"
)

// Item is a stock-keeping unit and its stock level.
type Item struct {
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	OnHand    int    `json:"on_hand"`
	Reserved  int    `json:"reserved"`
	Available int    `json:"available"`
	LowStock  bool   `json:"low_stock"`
}

func seedStock() []Item {
	return []Item{
		{SKU: "ANVIL-S", Name: "Anvil, small", OnHand: 40},
		{SKU: "ROCKET-SKATES", Name: "Rocket-powered roller skates", OnHand: 3},
		{SKU: "BIRDSEED", Name: "Bird seed (1 kg)", OnHand: 500},
		{SKU: "TNT", Name: "Dynamite, assorted", OnHand: 0},
	}
}

type inventory struct {
	warehouse string
	lowStock  int

	mu    sync.Mutex
	items map[string]*Item
}

func newInventory(warehouse string, lowStock int, seed []Item) *inventory {
	inv := &inventory{warehouse: warehouse, lowStock: lowStock, items: map[string]*Item{}}
	for _, it := range seed {
		inv.items[it.SKU] = &it
	}
	return inv
}

func (inv *inventory) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.Health("inventory", version))
	mux.HandleFunc("GET /items", inv.list)
	mux.HandleFunc("GET /items/{sku}", inv.get)
	mux.HandleFunc("POST /items/{sku}/reserve", inv.reserve)
	mux.HandleFunc("GET /debug/host", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]any{"warehouse": inv.warehouse, "host": platform.Host()})
	})
	return mux
}

// view returns a copy of it with the derived fields filled in. inv.mu is held.
func (inv *inventory) view(it *Item) Item {
	v := *it
	v.Available = v.OnHand - v.Reserved
	v.LowStock = v.Available <= inv.lowStock
	return v
}

func (inv *inventory) list(w http.ResponseWriter, r *http.Request) {
	inv.mu.Lock()
	out := make([]Item, 0, len(inv.items))
	for _, it := range inv.items {
		out = append(out, inv.view(it))
	}
	inv.mu.Unlock()
	slices.SortFunc(out, func(a, b Item) int { return strings.Compare(a.SKU, b.SKU) })
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (inv *inventory) get(w http.ResponseWriter, r *http.Request) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	it, ok := inv.items[strings.ToUpper(r.PathValue("sku"))]
	if !ok {
		httpx.WriteError(w, http.StatusNotFound, "no such item")
		return
	}
	httpx.WriteJSON(w, http.StatusOK, inv.view(it))
}

func (inv *inventory) reserve(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Quantity int `json:"quantity"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil || req.Quantity <= 0 {
		httpx.WriteError(w, http.StatusBadRequest, "body must be {\"quantity\": n} with n > 0")
		return
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	it, ok := inv.items[strings.ToUpper(r.PathValue("sku"))]
	if !ok {
		httpx.WriteError(w, http.StatusNotFound, "no such item")
		return
	}
	if it.OnHand-it.Reserved < req.Quantity {
		httpx.WriteError(w, http.StatusConflict, "insufficient stock")
		return
	}
	it.Reserved += req.Quantity
	httpx.WriteJSON(w, http.StatusOK, inv.view(it))
}
