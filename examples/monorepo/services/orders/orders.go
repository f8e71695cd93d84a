package main

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"example.com/acme/libs/httpx"
	"example.com/acme/libs/ids"
	"example.com/acme/libs/money"
)

// LineItem is one product line of an order.
type LineItem struct {
	SKU       string       `json:"sku"`
	Quantity  int64        `json:"quantity"`
	UnitPrice string       `json:"unit_price"`
	LineTotal money.Amount `json:"line_total"`
}

// Order is a priced order.
type Order struct {
	ID        string       `json:"id"`
	Customer  string       `json:"customer"`
	Items     []LineItem   `json:"items"`
	Total     money.Amount `json:"total"`
	Display   string       `json:"display_total"`
	CreatedAt time.Time    `json:"created_at"`
}

type orderRequest struct {
	Customer string     `json:"customer"`
	Items    []LineItem `json:"items"`
}

type store struct {
	currency money.Currency

	mu     sync.Mutex
	orders map[string]Order
}

func newStore(cur money.Currency) *store {
	return &store{currency: cur, orders: map[string]Order{}}
}

func (s *store) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.Health("orders", version))
	mux.HandleFunc("POST /orders", s.create)
	mux.HandleFunc("GET /orders", s.list)
	mux.HandleFunc("GET /orders/{id}", s.get)
	return mux
}

// price validates the request and computes every line total and the order
// total in the store's currency.
func (s *store) price(req orderRequest) (Order, error) {
	if strings.TrimSpace(req.Customer) == "" {
		return Order{}, errors.New("customer is required")
	}
	if len(req.Items) == 0 {
		return Order{}, errors.New("an order needs at least one item")
	}
	total := money.Zero(s.currency)
	items := make([]LineItem, len(req.Items))
	for i, it := range req.Items {
		if it.SKU == "" || it.Quantity <= 0 {
			return Order{}, fmt.Errorf("item %d: sku and a positive quantity are required", i)
		}
		unit, err := money.Parse(it.UnitPrice, s.currency)
		if err != nil {
			return Order{}, fmt.Errorf("item %d: %w", i, err)
		}
		it.LineTotal = unit.Mul(it.Quantity)
		if total, err = total.Add(it.LineTotal); err != nil {
			return Order{}, err
		}
		items[i] = it
	}
	return Order{
		ID:        ids.New("ord"),
		Customer:  req.Customer,
		Items:     items,
		Total:     total,
		Display:   money.Format(total),
		CreatedAt: time.Now().UTC(),
	}, nil
}

func (s *store) create(w http.ResponseWriter, r *http.Request) {
	var req orderRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		httpx.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	o, err := s.price(req)
	if err != nil {
		httpx.WriteError(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	s.mu.Lock()
	s.orders[o.ID] = o
	s.mu.Unlock()
	httpx.WriteJSON(w, http.StatusCreated, o)
}

func (s *store) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	o, ok := s.orders[r.PathValue("id")]
	s.mu.Unlock()
	if !ok {
		httpx.WriteError(w, http.StatusNotFound, "no such order")
		return
	}
	httpx.WriteJSON(w, http.StatusOK, o)
}

func (s *store) list(w http.ResponseWriter, r *http.Request) {
	customer := r.URL.Query().Get("customer")
	s.mu.Lock()
	out := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		if customer == "" || o.Customer == customer {
			out = append(out, o)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Order) int { return a.CreatedAt.Compare(b.CreatedAt) })
	httpx.WriteJSON(w, http.StatusOK, out)
}
