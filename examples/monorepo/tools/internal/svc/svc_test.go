package svc

import "testing"

func TestResolve(t *testing.T) {
	for in, want := range map[string]string{
		"payment":                 "http://127.0.0.1:8081",
		"http://pay.internal/":    "http://pay.internal",
		"https://pay.example.com": "https://pay.example.com",
	} {
		if got, err := Resolve(in); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Resolve("nope"); err == nil {
		t.Error("Resolve(nope) succeeded")
	}
}
