// Command gateway is the public entry point: it serves the web front end
// (embedded from static/) and routes /api/<service>/... to the services.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"example.com/acme/libs/config"
	"example.com/acme/libs/httpx"
	"example.com/acme/libs/logx"
)

// version is set at link time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	addr := flag.String("addr", "", "listen address (default from config: GATEWAY_ADDR or :8080)")
	showVersion := flag.Bool("version", false, "print the version and exit")
	showRoutes := flag.Bool("routes", false, "print the upstream routes and exit")
	flag.Parse()
	if *showVersion {
		fmt.Printf("gateway %s\n", version)
		return
	}

	cfg, err := config.Load("gateway")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(2)
	}
	if *addr != "" {
		cfg.Addr = *addr
	}
	gw, err := newGateway(cfg.Upstreams)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(2)
	}
	if *showRoutes {
		for _, r := range gw.routeTable() {
			fmt.Printf("/api/%s/ -> %s\n", r.Service, r.Upstream)
		}
		return
	}

	log := logx.New("gateway", os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := httpx.Serve(ctx, cfg.Addr, gw.routes(), log); err != nil {
		log.Error("gateway stopped", logx.Err(err))
		os.Exit(1)
	}
}
