package httpx

import (
	"net/http"
	"time"
)

// HealthStatus is the body served by Health.
type HealthStatus struct {
	Status  string `json:"status"`
	Service string `json:"service"`
	Version string `json:"version"`
	Uptime  string `json:"uptime"`
}

// Health returns a handler for /healthz reporting the service, its version
// and how long it has been up. Only GET and HEAD are allowed.
func Health(service, version string) http.Handler {
	started := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		WriteJSON(w, http.StatusOK, HealthStatus{
			Status:  "ok",
			Service: service,
			Version: version,
			Uptime:  time.Since(started).Round(time.Second).String(),
		})
	})
}
