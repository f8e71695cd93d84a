package main

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// SMSLimit is the longest SMS body we send, in characters.
const SMSLimit = 160

// Notification is one message to one recipient.
type Notification struct {
	Channel string
	To      string
	Subject string
	Body    string
}

// Render validates the recipient for the channel and formats the message
// the way that channel expects.
func (n Notification) Render() (string, error) {
	switch n.Channel {
	case "email":
		addr, err := mail.ParseAddress(n.To)
		if err != nil {
			return "", fmt.Errorf("email recipient %q: %w", n.To, err)
		}
		return fmt.Sprintf("To: %s\nSubject: %s\n\n%s\n", addr.Address, n.Subject, n.Body), nil
	case "sms":
		if !isPhone(n.To) {
			return "", fmt.Errorf("sms recipient %q is not a phone number like +15551234567", n.To)
		}
		body := n.Body
		if utf8.RuneCountInString(body) > SMSLimit {
			r := []rune(body)
			body = string(r[:SMSLimit-1]) + "…"
		}
		return fmt.Sprintf("SMS %s: %s\n", n.To, body), nil
	case "chat":
		if !strings.HasPrefix(n.To, "#") {
			return "", fmt.Errorf("chat recipient %q must be a #channel", n.To)
		}
		return fmt.Sprintf("[%s] %s\n", n.To, n.Body), nil
	default:
		return "", fmt.Errorf("unknown channel %q (want email, sms or chat)", n.Channel)
	}
}

func isPhone(s string) bool {
	if len(s) < 8 || s[0] != '+' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
