package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func do(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, r))
	return rec
}

func TestChargeLifecycle(t *testing.T) {
	h := newServer(825).routes() // 8.25% tax

	rec := do(t, h, "POST", "/charges", `{"customer":"cus_42","amount":"1234.50","currency":"USD","description":"Anvil"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	var c Charge
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	if c.Total.Cents != 133635 { // 1234.50 + 101.85 tax (8.25%, rounded)
		t.Errorf("total = %v (%d cents), want $1,336.35", c.Total, c.Total.Cents)
	}
	if rec.Header().Get("Location") != "/charges/"+c.ID {
		t.Errorf("Location = %q", rec.Header().Get("Location"))
	}

	rec = do(t, h, "GET", "/charges/"+c.ID+"/receipt", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("receipt: %d %s", rec.Code, rec.Body)
	}
	receipt := rec.Body.String()
	for _, want := range []string{"ACME Payments", c.ID, "For:       Anvil", "Subtotal:  $1,234.50", "Total:     $1,336.35"} {
		if !strings.Contains(receipt, want) {
			t.Errorf("receipt lacks %q:\n%s", want, receipt)
		}
	}

	if rec := do(t, h, "POST", "/charges/"+c.ID+"/refund", ""); rec.Code != http.StatusOK {
		t.Errorf("refund: %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, h, "POST", "/charges/"+c.ID+"/refund", ""); rec.Code != http.StatusConflict {
		t.Errorf("second refund: %d, want 409", rec.Code)
	}
}

func TestChargeErrors(t *testing.T) {
	h := newServer(0).routes()
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/charges", `{"customer":"c","amount":"abc"}`, http.StatusBadRequest},
		{"POST", "/charges", `{"customer":"c","amount":"-1"}`, http.StatusBadRequest},
		{"POST", "/charges", `{"amount":"1"}`, http.StatusBadRequest},
		{"POST", "/charges", `{"customer":"c","amount":"1","bogus":true}`, http.StatusBadRequest},
		{"GET", "/charges/nope", "", http.StatusBadRequest},
		{"GET", "/charges/ch_00000000-0000-0000-0000-000000000000", "", http.StatusNotFound},
		{"GET", "/healthz", "", http.StatusOK},
	} {
		if rec := do(t, h, tc.method, tc.path, tc.body); rec.Code != tc.want {
			t.Errorf("%s %s %s: %d, want %d", tc.method, tc.path, tc.body, rec.Code, tc.want)
		}
	}
}
