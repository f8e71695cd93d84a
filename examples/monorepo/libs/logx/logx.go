// Package logx is a tiny structured logger over log/slog: one constructor that
// every service uses, level and format from the environment, and a logger
// carried in a context.
package logx

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
)

// New returns a logger writing to w, tagged with the service name.
//
// ACME_LOG_LEVEL (debug, info, warn, error) sets the level; ACME_LOG_FORMAT=text
// switches from JSON to logfmt-style text. Binaries built with the "gobdebug"
// tag log at debug level and include source positions.
func New(service string, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{
		Level:     ParseLevel(os.Getenv("ACME_LOG_LEVEL")),
		AddSource: Debug,
	}
	if Debug {
		opts.Level = slog.LevelDebug
	}
	var h slog.Handler
	if strings.EqualFold(os.Getenv("ACME_LOG_FORMAT"), "text") {
		h = slog.NewTextHandler(w, opts)
	} else {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(h).With("service", service)
}

// Discard returns a logger that drops everything (for tests).
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// ParseLevel maps a level name to a slog.Level; unknown names mean info.
func ParseLevel(s string) slog.Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug
	case "warn", "warning":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

// Err is an attribute for an error under the conventional "err" key.
func Err(err error) slog.Attr {
	if err == nil {
		return slog.String("err", "<nil>")
	}
	return slog.String("err", err.Error())
}

type ctxKey struct{}

// WithContext returns a copy of ctx carrying l.
func WithContext(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the logger carried by ctx, or slog.Default().
func FromContext(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(ctxKey{}).(*slog.Logger); ok && l != nil {
		return l
	}
	return slog.Default()
}
