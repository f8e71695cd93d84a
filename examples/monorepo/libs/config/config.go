// Package config loads a service's configuration: built-in defaults embedded
// from defaults/*.json, then an optional JSON file, then the environment.
package config

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
)

//go:embed defaults/*.json
var defaults embed.FS

// Config is the configuration shared by every service.
type Config struct {
	Service   string            `json:"-"`
	Addr      string            `json:"addr"`
	LogLevel  string            `json:"log_level"`
	Currency  string            `json:"currency"`
	Upstreams map[string]string `json:"upstreams,omitempty"`
	Settings  map[string]string `json:"settings,omitempty"`
}

// Lookup is the signature of os.LookupEnv; tests pass their own.
type Lookup func(key string) (string, bool)

// Load returns the configuration of service from defaults and the process
// environment.
func Load(service string) (Config, error) { return LoadFrom(service, os.LookupEnv) }

// LoadFrom is Load with an explicit environment. Layers, last wins:
//
//  1. defaults/common.json, then defaults/<service>.json if it exists;
//  2. the JSON file named by ACME_CONFIG_FILE, if set;
//  3. variables: <SERVICE>_ADDR, ACME_LOG_LEVEL, ACME_CURRENCY,
//     <SERVICE>_UPSTREAM_<NAME> (an upstream URL) and <SERVICE>_<SETTING>
//     for every key already present in Settings.
func LoadFrom(service string, env Lookup) (Config, error) {
	c := Config{Service: service}
	if err := overlayFS(&c, "defaults/common.json"); err != nil {
		return Config{}, err
	}
	if err := overlayFS(&c, "defaults/"+service+".json"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return Config{}, err
	}
	if path, ok := env("ACME_CONFIG_FILE"); ok && path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config: %w", err)
		}
		if err := overlay(&c, path, b); err != nil {
			return Config{}, err
		}
	}

	prefix := EnvPrefix(service)
	if v, ok := env(prefix + "ADDR"); ok {
		c.Addr = v
	}
	if v, ok := env("ACME_LOG_LEVEL"); ok {
		c.LogLevel = v
	}
	if v, ok := env("ACME_CURRENCY"); ok {
		c.Currency = strings.ToUpper(v)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Upstreams)) {
		if v, ok := env(prefix + "UPSTREAM_" + strings.ToUpper(name)); ok {
			c.Upstreams[name] = v
		}
	}
	for _, key := range slices.Sorted(maps.Keys(c.Settings)) {
		if v, ok := env(prefix + strings.ToUpper(key)); ok {
			c.Settings[key] = v
		}
	}
	if c.Addr == "" {
		return Config{}, fmt.Errorf("config: %s: empty addr", service)
	}
	return c, nil
}

// EnvPrefix returns the environment variable prefix of a service:
// "payment" → "PAYMENT_", "order-api" → "ORDER_API_".
func EnvPrefix(service string) string {
	return strings.ToUpper(strings.ReplaceAll(service, "-", "_")) + "_"
}

// Setting returns Settings[key], or def when it is missing or empty.
func (c Config) Setting(key, def string) string {
	if v := c.Settings[key]; v != "" {
		return v
	}
	return def
}

// DefaultFiles lists the embedded default files, for diagnostics.
func DefaultFiles() []string {
	names, _ := fs.Glob(defaults, "defaults/*.json")
	return names
}

func overlayFS(c *Config, name string) error {
	b, err := defaults.ReadFile(name)
	if err != nil {
		return err
	}
	return overlay(c, name, b)
}

func overlay(c *Config, name string, b []byte) error {
	if err := json.Unmarshal(b, c); err != nil {
		return fmt.Errorf("config: %s: %w", name, err)
	}
	return nil
}
