package logx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
)

func TestNewWritesJSONWithService(t *testing.T) {
	t.Setenv("ACME_LOG_FORMAT", "")
	t.Setenv("ACME_LOG_LEVEL", "warn")
	var buf bytes.Buffer
	l := New("orders", &buf)
	l.Info("dropped unless built with -tags gobdebug")
	l.Warn("kept", Err(errors.New("disk full")))

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	want := 1
	if Debug {
		want = 2
	}
	if len(lines) != want {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), want, buf.String())
	}
	var rec map[string]any
	if err := json.Unmarshal(lines[len(lines)-1], &rec); err != nil {
		t.Fatal(err)
	}
	if rec["service"] != "orders" || rec["msg"] != "kept" || rec["err"] != "disk full" {
		t.Errorf("record = %v", rec)
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]slog.Level{
		"debug": slog.LevelDebug, "WARN": slog.LevelWarn, " error ": slog.LevelError, "": slog.LevelInfo, "loud": slog.LevelInfo,
	} {
		if got := ParseLevel(in); got != want {
			t.Errorf("ParseLevel(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestContext(t *testing.T) {
	if FromContext(context.Background()) != slog.Default() {
		t.Error("empty context should give slog.Default()")
	}
	l := Discard()
	if FromContext(WithContext(context.Background(), l)) != l {
		t.Error("logger not carried by context")
	}
}
