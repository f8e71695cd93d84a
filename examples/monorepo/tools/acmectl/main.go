// Command acmectl is the operator's command-line tool for the ACME services.
//
//	acmectl fmt 1234.5 EUR          # €1,234.50
//	acmectl split 100 USD 3         # $33.34 $33.33 $33.33
//	acmectl host                    # host and process info as JSON
//	acmectl health payment         # or a base URL
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/acme/libs/money"
	"example.com/acme/libs/platform"
	"example.com/acme/tools/internal/svc"
)

// version is set at link time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: acmectl [-version] COMMAND [ARGS]

commands:
  fmt AMOUNT [CURRENCY]           format an amount, e.g. "fmt 1234.5 EUR"
  split AMOUNT CURRENCY N         split an amount into N fair parts
  host                            print host and process info as JSON
  health SERVICE|URL              GET <url>/healthz and print the answer
`

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("acmectl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *showVersion {
		fmt.Fprintf(stdout, "acmectl %s\n", version)
		return 0
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	var err error
	switch cmd {
	case "fmt":
		err = cmdFmt(stdout, rest)
	case "split":
		err = cmdSplit(stdout, rest)
	case "host":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(platform.Host())
	case "health":
		err = cmdHealth(stdout, rest)
	default:
		fmt.Fprintf(stderr, "acmectl: unknown command %q\n\n", cmd)
		fs.Usage()
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "acmectl:", err)
		return 1
	}
	return 0
}

func currencyArg(args []string, i int) money.Currency {
	if len(args) > i {
		return money.Currency(strings.ToUpper(args[i]))
	}
	return money.USD
}

func cmdFmt(w io.Writer, args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("fmt: want AMOUNT [CURRENCY]")
	}
	a, err := money.Parse(args[0], currencyArg(args, 1))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, money.Format(a))
	return err
}

func cmdSplit(w io.Writer, args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("split: want AMOUNT CURRENCY N")
	}
	a, err := money.Parse(args[0], currencyArg(args, 1))
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(args[2])
	if err != nil || n <= 0 {
		return fmt.Errorf("split: N must be a positive integer")
	}
	parts := make([]string, 0, n)
	for _, p := range a.Allocate(n) {
		parts = append(parts, money.Format(p))
	}
	_, err = fmt.Fprintln(w, strings.Join(parts, " "))
	return err
}

func cmdHealth(w io.Writer, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("health: want SERVICE or URL")
	}
	base, err := svc.Resolve(args[0])
	if err != nil {
		return err
	}
	h, err := svc.CheckHealth(context.Background(), base, 5*time.Second)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%d %s\n%s", h.Status, http.StatusText(h.Status), h.Body)
	if !h.OK() {
		return fmt.Errorf("health: %s answered %d", base, h.Status)
	}
	return nil
}
