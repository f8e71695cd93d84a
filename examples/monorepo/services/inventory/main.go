// Command inventory is the stock service: it lists items and reserves stock.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"example.com/acme/libs/config"
	"example.com/acme/libs/httpx"
	"example.com/acme/libs/logx"
)

// version is set at link time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	addr := flag.String("addr", "", "listen address (default from config: INVENTORY_ADDR or :8083)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("inventory %s\n", version)
		return
	}

	cfg, err := config.Load("inventory")
	if err != nil {
		fmt.Fprintln(os.Stderr, "inventory:", err)
		os.Exit(2)
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	log := logx.New("inventory", os.Stderr)
	threshold, err := strconv.Atoi(cfg.Setting("low_stock_threshold", "5"))
	if err != nil {
		log.Error("bad low_stock_threshold", logx.Err(err))
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	inv := newInventory(cfg.Setting("warehouse", "unknown"), threshold, seedStock())
	if err := httpx.Serve(ctx, cfg.Addr, inv.routes(), log); err != nil {
		log.Error("inventory stopped", logx.Err(err))
		os.Exit(1)
	}
}
