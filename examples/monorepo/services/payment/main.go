// Command payment is the payment service: it creates charges, refunds them
// and renders receipts.
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

// version is set at link time: -ldflags "-X main.version=..." (gob: x_defs).
var version = "dev"

func main() {
	addr := flag.String("addr", envOr("PAYMENT_ADDR", ":8081"), "listen address (env PAYMENT_ADDR)")
	taxBP := flag.Int64("tax-bp", 0, "sales tax in basis points added to every charge (825 = 8.25%)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("payment %s\n", version)
		return
	}

	log := logx.New("payment", os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := newServer(*taxBP)
	if err := httpx.Serve(ctx, *addr, srv.routes(), log); err != nil {
		log.Error("payment stopped", logx.Err(err))
		os.Exit(1)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
