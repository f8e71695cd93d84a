package config

import (
	"path/filepath"
	"testing"
)

func env(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := LoadFrom("inventory", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8083" || c.LogLevel != "info" || c.Currency != "USD" {
		t.Errorf("config = %+v", c)
	}
	if got := c.Setting("low_stock_threshold", ""); got != "5" {
		t.Errorf("low_stock_threshold = %q", got)
	}
	if got := c.Setting("missing", "dflt"); got != "dflt" {
		t.Errorf("missing setting = %q", got)
	}
}

func TestServiceWithoutDefaultsFile(t *testing.T) {
	c, err := LoadFrom("users", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.Service != "users" {
		t.Errorf("config = %+v", c)
	}
}

func TestEnvOverrides(t *testing.T) {
	c, err := LoadFrom("gateway", env(map[string]string{
		"GATEWAY_ADDR":             "127.0.0.1:9000",
		"ACME_CURRENCY":            "eur",
		"GATEWAY_UPSTREAM_PAYMENT": "http://payment.internal",
		"GATEWAY_UPSTREAM_UNKNOWN": "http://ignored",
		"INVENTORY_ADDR":           ":1", // other services' variables do not apply
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.Currency != "EUR" {
		t.Errorf("config = %+v", c)
	}
	if c.Upstreams["payment"] != "http://payment.internal" || c.Upstreams["orders"] != "http://127.0.0.1:8082" {
		t.Errorf("upstreams = %v", c.Upstreams)
	}
	if _, ok := c.Upstreams["unknown"]; ok {
		t.Error("unknown upstream was added")
	}
}

func TestConfigFile(t *testing.T) {
	c, err := LoadFrom("inventory", env(map[string]string{
		"ACME_CONFIG_FILE":    filepath.Join("testdata", "override.json"),
		"INVENTORY_WAREHOUSE": "lhr-3",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.LogLevel != "debug" {
		t.Errorf("log_level = %q, want debug from testdata/override.json", c.LogLevel)
	}
	if c.Settings["warehouse"] != "lhr-3" || c.Settings["low_stock_threshold"] != "5" {
		t.Errorf("settings = %v", c.Settings)
	}
}

func TestDefaultFilesEmbedded(t *testing.T) {
	if n := len(DefaultFiles()); n < 3 {
		t.Errorf("DefaultFiles() = %d files, want at least 3", n)
	}
}
