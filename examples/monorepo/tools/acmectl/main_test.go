package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"-version"}, 0, "acmectl dev\n"},
		{[]string{"fmt", "1234.5", "eur"}, 0, "€1,234.50\n"},
		{[]string{"fmt", "12"}, 0, "$12.00\n"},
		{[]string{"split", "100", "USD", "3"}, 0, "$33.34 $33.33 $33.33\n"},
		{[]string{"fmt", "1.234"}, 1, ""},
		{[]string{"split", "1", "USD", "0"}, 1, ""},
		{[]string{"frobnicate"}, 2, ""},
		{nil, 2, ""},
		{[]string{"-h"}, 0, ""},
	} {
		var out, errb bytes.Buffer
		code := run(tc.args, &out, &errb)
		if code != tc.code || out.String() != tc.out {
			t.Errorf("run(%q) = %d, %q (stderr %q); want %d, %q", tc.args, code, out.String(), errb.String(), tc.code, tc.out)
		}
	}
}

func TestHost(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"host"}, &out, io.Discard); code != 0 || !strings.Contains(out.String(), `"goos"`) {
		t.Errorf("host: %d %q", code, out.String())
	}
}

func TestHealth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `{"status":"ok"}`)
	}))
	defer srv.Close()
	var out bytes.Buffer
	if code := run([]string{"health", srv.URL + "/"}, &out, io.Discard); code != 0 || !strings.Contains(out.String(), `"ok"`) {
		t.Errorf("health: %d %q", code, out.String())
	}
}
