// Command notify sends a notification to a user over email, SMS or chat.
// It is a CLI (run by cron jobs and other services), and it uses no shared
// library besides logx.
//
//	notify -to wile@acme.test -channel email -subject "Order shipped" "Your anvil is on its way."
//	echo "Stock low" | notify -to '#ops' -channel chat -
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"example.com/acme/libs/logx"
)

// version is set at link time: -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("notify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", "", "recipient: an email address, a phone number or a #channel")
	channel := fs.String("channel", "email", "delivery channel: email, sms or chat")
	subject := fs.String("subject", "Notification from ACME", "subject (email only)")
	dryRun := fs.Bool("dry-run", false, "render the message but do not send it")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: notify -to RECIPIENT [-channel email|sms|chat] [-subject S] [-dry-run] MESSAGE|-")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if *showVersion {
		fmt.Fprintf(stdout, "notify %s\n", version)
		return 0
	}

	body := strings.Join(fs.Args(), " ")
	if body == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintln(stderr, "notify: reading stdin:", err)
			return 1
		}
		body = strings.TrimSpace(string(b))
	}
	if *to == "" || body == "" {
		fs.Usage()
		return 2
	}

	n := Notification{Channel: *channel, To: *to, Subject: *subject, Body: body}
	msg, err := n.Render()
	if err != nil {
		fmt.Fprintln(stderr, "notify:", err)
		return 2
	}
	log := logx.New("notify", stderr)
	if *dryRun {
		log.Info("dry run, not sending", "channel", n.Channel, "to", n.To)
		fmt.Fprint(stdout, msg)
		return 0
	}
	if err := deliver(stdout, msg); err != nil {
		log.Error("delivery failed", "channel", n.Channel, "to", n.To, logx.Err(err))
		return 1
	}
	log.Info("sent", "channel", n.Channel, "to", n.To, "bytes", len(msg))
	return 0
}

// deliver hands the rendered message to the outbox. In this example the
// outbox is standard output.
func deliver(outbox io.Writer, msg string) error {
	_, err := io.WriteString(outbox, msg)
	return err
}
