package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestGateway(t *testing.T) {
	payment := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "payment saw "+r.URL.Path)
	}))
	defer payment.Close()

	gw, err := newGateway(map[string]string{"payment": payment.URL, "down": "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gw.routes())
	defer srv.Close()

	if code, body := get(t, srv.URL+"/"); code != 200 || !strings.Contains(body, "<title>ACME Store</title>") {
		t.Errorf("index: %d %.80q", code, body)
	}
	if code, body := get(t, srv.URL+"/app.css"); code != 200 || !strings.Contains(body, "font-family") {
		t.Errorf("app.css: %d %.80q", code, body)
	}
	if code, body := get(t, srv.URL+"/api/payment/charges/ch_1"); code != 200 || body != "payment saw /charges/ch_1" {
		t.Errorf("proxy: %d %q", code, body)
	}
	if code, _ := get(t, srv.URL+"/api/nope/x"); code != http.StatusNotFound {
		t.Errorf("unknown service: %d, want 404", code)
	}
	if code, _ := get(t, srv.URL+"/api/down/x"); code != http.StatusBadGateway {
		t.Errorf("down upstream: %d, want 502", code)
	}
	if code, body := get(t, srv.URL+"/api/"); code != 200 || !strings.Contains(body, `"service": "payment"`) {
		t.Errorf("route table: %d %q", code, body)
	}
}

func TestNewGatewayRejectsBadURL(t *testing.T) {
	if _, err := newGateway(map[string]string{"x": "not a url"}); err == nil {
		t.Error("bad upstream URL accepted")
	}
}
