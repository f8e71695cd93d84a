// Package svc is acmectl's client for the ACME services: where they listen by
// default and how to ask them whether they are healthy.
package svc

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Defaults maps each HTTP service to its default local address.
var Defaults = map[string]string{
	"gateway":   "http://127.0.0.1:8080",
	"payment":   "http://127.0.0.1:8081",
	"orders":    "http://127.0.0.1:8082",
	"inventory": "http://127.0.0.1:8083",
	"users":     "http://127.0.0.1:8084",
}

// Resolve turns a service name from Defaults or a base URL into a base URL.
func Resolve(nameOrURL string) (string, error) {
	if u, ok := Defaults[nameOrURL]; ok {
		return u, nil
	}
	if strings.HasPrefix(nameOrURL, "http://") || strings.HasPrefix(nameOrURL, "https://") {
		return strings.TrimSuffix(nameOrURL, "/"), nil
	}
	return "", fmt.Errorf("%q is neither a known service nor an http(s) URL", nameOrURL)
}

// Health is the answer of a service's /healthz endpoint.
type Health struct {
	Status int
	Body   string
}

// OK reports whether the service answered 200.
func (h Health) OK() bool { return h.Status == http.StatusOK }

// CheckHealth calls GET <base>/healthz with a timeout.
func CheckHealth(ctx context.Context, base string, timeout time.Duration) (Health, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	if err != nil {
		return Health{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Health{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Health{}, err
	}
	return Health{Status: resp.StatusCode, Body: string(body)}, nil
}
