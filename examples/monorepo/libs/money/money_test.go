package money

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"12.34", 1234, false},
		{"7", 700, false},
		{"0.5", 50, false},
		{".05", 5, false},
		{"-3.10", -310, false},
		{"+1", 100, false},
		{"1,234.56", 123456, false},
		{"", 0, true},
		{"1.234", 0, true},
		{"abc", 0, true},
		{"-", 0, true},
		{"1.-2", 0, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in, USD)
		if (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got.Cents != tt.want {
			t.Errorf("Parse(%q) = %d cents, want %d", tt.in, got.Cents, tt.want)
		}
	}
}

func TestAddMismatch(t *testing.T) {
	_, err := New(100, USD).Add(New(100, EUR))
	if !errors.Is(err, ErrCurrencyMismatch) {
		t.Fatalf("Add across currencies: err = %v, want ErrCurrencyMismatch", err)
	}
}

func TestPercent(t *testing.T) {
	if got := New(1000, USD).Percent(825); got.Cents != 83 { // 82.5 rounds up
		t.Errorf("8.25%% of $10.00 = %d cents, want 83", got.Cents)
	}
	if got := New(-1000, USD).Percent(825); got.Cents != -83 {
		t.Errorf("8.25%% of -$10.00 = %d cents, want -83", got.Cents)
	}
}

func TestAllocate(t *testing.T) {
	for _, total := range []int64{100, 101, 102, -101, 0} {
		parts := New(total, EUR).Allocate(3)
		var sum int64
		for _, p := range parts {
			sum += p.Cents
			if d := p.Cents - parts[0].Cents; d > 1 || d < -1 {
				t.Errorf("Allocate(%d): uneven parts %v", total, parts)
			}
		}
		if sum != total {
			t.Errorf("Allocate(%d): parts sum to %d", total, sum)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	in := New(-123456, GBP)
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"amount":"-1234.56","currency":"GBP"}` {
		t.Errorf("Marshal = %s", b)
	}
	var out Amount
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
}
