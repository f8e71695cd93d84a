package httpx

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/acme/libs/logx"
)

func TestHealth(t *testing.T) {
	srv := httptest.NewServer(Health("payment", "v1.2.3"))
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	var got HealthStatus
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Status != "ok" || got.Service != "payment" || got.Version != "v1.2.3" {
		t.Errorf("health = %+v", got)
	}

	resp2, err := http.Post(srv.URL, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST status = %d, want 405", resp2.StatusCode)
	}
}

func TestLoggingMiddleware(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	var sawLogger bool
	h := Logging(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawLogger = logx.FromContext(r.Context()) != slog.Default()
		WriteError(w, http.StatusTeapot, "short and stout")
	}))

	req := httptest.NewRequest(http.MethodGet, "/brew", nil)
	req.Header.Set(RequestIDHeader, "req-42")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if rec.Code != http.StatusTeapot {
		t.Errorf("status = %d", rec.Code)
	}
	if got := rec.Header().Get(RequestIDHeader); got != "req-42" {
		t.Errorf("request id echoed = %q", got)
	}
	if !sawLogger {
		t.Error("handler did not get a request-scoped logger")
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log line %q: %v", buf.String(), err)
	}
	if line["path"] != "/brew" || line["status"] != float64(http.StatusTeapot) || line["request_id"] != "req-42" {
		t.Errorf("log line = %v", line)
	}
}

func TestDecodeJSON(t *testing.T) {
	type body struct {
		Name string `json:"name"`
	}
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"name":"a"}`, true},
		{`{"name":"a","extra":1}`, false},
		{`{"name":"a"} {}`, false},
		{`not json`, false},
	} {
		var b body
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.in))
		err := DecodeJSON(httptest.NewRecorder(), req, &b)
		if (err == nil) != tc.ok {
			t.Errorf("DecodeJSON(%s) err = %v, want ok=%v", tc.in, err, tc.ok)
		}
	}
}

func TestRecover(t *testing.T) {
	h := Recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil).WithContext(
		logx.WithContext(t.Context(), logx.Discard())))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
}
