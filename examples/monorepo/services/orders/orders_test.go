package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"example.com/acme/libs/money"
)

func TestCreateOrderFromTestdata(t *testing.T) {
	body, err := os.ReadFile("testdata/order.json")
	if err != nil {
		t.Fatal(err)
	}
	h := newStore(money.EUR).routes()

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/orders", bytes.NewReader(body)))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var o Order
	if err := json.Unmarshal(rec.Body.Bytes(), &o); err != nil {
		t.Fatal(err)
	}
	// 3 × 19.99 + 1 × 1,250.00 + 12 × 0.35 = 1,314.17
	if want := money.New(131417, money.EUR); o.Total != want {
		t.Errorf("total = %v, want %v", o.Total, want)
	}
	if o.Display != "€1,314.17" {
		t.Errorf("display = %q", o.Display)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders/"+o.ID, nil))
	if rec.Code != http.StatusOK {
		t.Errorf("get: %d", rec.Code)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orders?customer=nobody", nil))
	if rec.Code != http.StatusOK || bytes.TrimSpace(rec.Body.Bytes())[0] != '[' {
		t.Errorf("list: %d %s", rec.Code, rec.Body)
	}
}

func TestPriceRejectsBadItems(t *testing.T) {
	s := newStore(money.USD)
	for _, req := range []orderRequest{
		{Customer: ""},
		{Customer: "c"},
		{Customer: "c", Items: []LineItem{{SKU: "a", Quantity: 0, UnitPrice: "1"}}},
		{Customer: "c", Items: []LineItem{{SKU: "a", Quantity: 1, UnitPrice: "1.999"}}},
	} {
		if _, err := s.price(req); err == nil {
			t.Errorf("price(%+v) succeeded", req)
		}
	}
}
