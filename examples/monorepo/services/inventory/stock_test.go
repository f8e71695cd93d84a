package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReserve(t *testing.T) {
	h := newInventory("test", 5, seedStock()).routes()

	post := func(sku, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/items/"+sku+"/reserve", strings.NewReader(body)))
		return rec
	}
	rec := post("anvil-s", `{"quantity": 36}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("reserve: %d %s", rec.Code, rec.Body)
	}
	var it Item
	if err := json.Unmarshal(rec.Body.Bytes(), &it); err != nil {
		t.Fatal(err)
	}
	if it.Available != 4 || !it.LowStock {
		t.Errorf("after reserving 36 of 40: %+v", it)
	}
	if rec := post("ANVIL-S", `{"quantity": 5}`); rec.Code != http.StatusConflict {
		t.Errorf("over-reserve: %d, want 409", rec.Code)
	}
	if rec := post("NOPE", `{"quantity": 1}`); rec.Code != http.StatusNotFound {
		t.Errorf("unknown sku: %d, want 404", rec.Code)
	}
	if rec := post("TNT", `{"quantity": 0}`); rec.Code != http.StatusBadRequest {
		t.Errorf("zero quantity: %d, want 400", rec.Code)
	}
}
