// Command orders is the order service: it takes orders for catalogue items and
// prices them.
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
	"example.com/acme/libs/money"
)

// version is set at link time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	addr := flag.String("addr", envOr("ORDERS_ADDR", ":8082"), "listen address (env ORDERS_ADDR)")
	currency := flag.String("currency", envOr("ACME_CURRENCY", "USD"), "currency of all orders (env ACME_CURRENCY)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("orders %s\n", version)
		return
	}

	log := logx.New("orders", os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store := newStore(money.Currency(*currency))
	if err := httpx.Serve(ctx, *addr, store.routes(), log); err != nil {
		log.Error("orders stopped", logx.Err(err))
		os.Exit(1)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
