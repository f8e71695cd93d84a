// Command users is the account service: it registers users and looks them up.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"example.com/acme/libs/httpx"
	"example.com/acme/libs/logx"
)

// version is set at link time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	addr := flag.String("addr", envOr("USERS_ADDR", ":8084"), "listen address (env USERS_ADDR)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("users %s\n", version)
		return
	}

	log := logx.New("users", os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := httpx.Serve(ctx, *addr, newDirectory().routes(), log); err != nil {
		log.Error("users stopped", logx.Err(err))
		os.Exit(1)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
