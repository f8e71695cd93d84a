package main

import (
	_ "embed"
	"net/http"
	"sync"
	"text/template"
	"time"

	"example.com/acme/libs/httpx"
	"example.com/acme/libs/ids"
	"example.com/acme/libs/logx"
	"example.com/acme/libs/money"
)

//go:embed templates/receipt.txt
var receiptText string

var receiptTmpl = template.Must(template.New("receipt").Parse(receiptText))

// Charge is a payment taken from a customer.
type Charge struct {
	ID          string       `json:"id"`
	Customer    string       `json:"customer"`
	Description string       `json:"description,omitempty"`
	Subtotal    money.Amount `json:"subtotal"`
	Tax         money.Amount `json:"tax"`
	Total       money.Amount `json:"total"`
	Status      string       `json:"status"`
	CreatedAt   time.Time    `json:"created_at"`
}

type chargeRequest struct {
	Customer    string `json:"customer"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	Description string `json:"description"`
}

type server struct {
	taxBP int64

	mu      sync.Mutex
	charges map[string]*Charge
}

func newServer(taxBasisPoints int64) *server {
	return &server{taxBP: taxBasisPoints, charges: map[string]*Charge{}}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", httpx.Health("payment", version))
	mux.HandleFunc("POST /charges", s.createCharge)
	mux.HandleFunc("GET /charges/{id}", s.getCharge)
	mux.HandleFunc("POST /charges/{id}/refund", s.refundCharge)
	mux.HandleFunc("GET /charges/{id}/receipt", s.receipt)
	return mux
}

func (s *server) createCharge(w http.ResponseWriter, r *http.Request) {
	var req chargeRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		httpx.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.Customer == "" {
		httpx.WriteError(w, http.StatusBadRequest, "customer is required")
		return
	}
	if req.Currency == "" {
		req.Currency = string(money.USD)
	}
	sub, err := money.Parse(req.Amount, money.Currency(req.Currency))
	if err != nil {
		httpx.WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	if sub.Cents <= 0 {
		httpx.WriteError(w, http.StatusBadRequest, "amount must be positive")
		return
	}
	tax := sub.Percent(s.taxBP)
	total, _ := sub.Add(tax) // same currency by construction
	c := &Charge{
		ID:          ids.New("ch"),
		Customer:    req.Customer,
		Description: req.Description,
		Subtotal:    sub,
		Tax:         tax,
		Total:       total,
		Status:      "succeeded",
		CreatedAt:   time.Now().UTC(),
	}
	s.mu.Lock()
	s.charges[c.ID] = c
	s.mu.Unlock()
	logx.FromContext(r.Context()).Info("charge created", "charge", c.ID, "total", total.String())
	w.Header().Set("Location", "/charges/"+c.ID)
	httpx.WriteJSON(w, http.StatusCreated, c)
}

// lookup finds the charge named in the path, writing an error if it can't.
func (s *server) lookup(w http.ResponseWriter, r *http.Request) (Charge, bool) {
	id := r.PathValue("id")
	if !ids.Valid(id, "ch") {
		httpx.WriteError(w, http.StatusBadRequest, "malformed charge id")
		return Charge{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.charges[id]
	if !ok {
		httpx.WriteError(w, http.StatusNotFound, "no such charge")
		return Charge{}, false
	}
	return *c, true
}

func (s *server) getCharge(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.lookup(w, r); ok {
		httpx.WriteJSON(w, http.StatusOK, c)
	}
}

func (s *server) refundCharge(w http.ResponseWriter, r *http.Request) {
	c, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if c.Status == "refunded" {
		httpx.WriteError(w, http.StatusConflict, "charge already refunded")
		return
	}
	s.mu.Lock()
	s.charges[c.ID].Status = "refunded"
	c = *s.charges[c.ID]
	s.mu.Unlock()
	httpx.WriteJSON(w, http.StatusOK, c)
}

func (s *server) receipt(w http.ResponseWriter, r *http.Request) {
	c, ok := s.lookup(w, r)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := receiptTmpl.Execute(w, c); err != nil {
		logx.FromContext(r.Context()).Error("receipt", logx.Err(err))
	}
}
