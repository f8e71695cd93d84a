package main

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRender(t *testing.T) {
	msg, err := Notification{Channel: "email", To: "Wile E. <wile@acme.test>", Subject: "Hi", Body: "Anvil shipped"}.Render()
	if err != nil || !strings.HasPrefix(msg, "To: wile@acme.test\nSubject: Hi\n") {
		t.Errorf("email = %q, %v", msg, err)
	}
	long := strings.Repeat("beep ", 100)
	msg, err = Notification{Channel: "sms", To: "+15551234567", Body: long}.Render()
	if err != nil || utf8.RuneCountInString(msg) > SMSLimit+len("SMS +15551234567: \n") {
		t.Errorf("sms = %q, %v", msg, err)
	}
	for _, bad := range []Notification{
		{Channel: "email", To: "not an address"},
		{Channel: "sms", To: "555-1234"},
		{Channel: "chat", To: "ops"},
		{Channel: "pigeon", To: "x"},
	} {
		if _, err := bad.Render(); err == nil {
			t.Errorf("Render(%+v) succeeded", bad)
		}
	}
}

func TestRunCLI(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-version"}, nil, &out, &errb); code != 0 || !strings.HasPrefix(out.String(), "notify ") {
		t.Errorf("-version: code %d, out %q", code, out.String())
	}
	out.Reset()
	code := run([]string{"-to", "#ops", "-channel", "chat", "-"}, strings.NewReader("stock low\n"), &out, &errb)
	if code != 0 || out.String() != "[#ops] stock low\n" {
		t.Errorf("chat from stdin: code %d, out %q, err %q", code, out.String(), errb.String())
	}
	if code := run(nil, nil, &out, &errb); code != 2 {
		t.Errorf("no args: code %d, want 2", code)
	}
	if code := run([]string{"-h"}, nil, &out, &errb); code != 0 {
		t.Errorf("-h: code %d, want 0", code)
	}
}
