package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"example.com/acme/libs/logx"
)

// RequestIDHeader is read from requests and echoed on responses.
const RequestIDHeader = "X-Request-Id"

var reqCounter atomic.Uint64

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Logging wraps next so every request gets a request ID, a request-scoped
// logger in its context (see logx.FromContext), and one log line when done.
func Logging(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(RequestIDHeader)
		if id == "" {
			id = fmt.Sprintf("%x-%d", start.UnixNano()&0xffffff, reqCounter.Add(1))
		}
		w.Header().Set(RequestIDHeader, id)
		reqLog := log.With("request_id", id)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(logx.WithContext(r.Context(), reqLog)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		reqLog.Log(r.Context(), level, "request",
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"bytes", rec.bytes,
			"duration", time.Since(start),
		)
	})
}

// Recover turns a panic in next into a 500 response and an error log line.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logx.FromContext(r.Context()).Error("panic", "value", fmt.Sprint(v))
				WriteError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
