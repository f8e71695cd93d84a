// Package money represents amounts of money as whole minor units (cents) so
// that arithmetic is exact, and formats them for people.
package money

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Currency is an ISO 4217 currency code such as "USD".
type Currency string

// Currencies known to this package. All of them have two decimal places.
const (
	USD Currency = "USD"
	EUR Currency = "EUR"
	GBP Currency = "GBP"
	CHF Currency = "CHF"
)

// ErrCurrencyMismatch is returned when combining amounts in different currencies.
var ErrCurrencyMismatch = errors.New("money: currency mismatch")

// Amount is a quantity of money in cents (hundredths of the currency unit).
type Amount struct {
	Cents    int64
	Currency Currency
}

// New returns an amount of cents in the given currency.
func New(cents int64, cur Currency) Amount {
	return Amount{Cents: cents, Currency: cur}
}

// Zero returns a zero amount in the given currency.
func Zero(cur Currency) Amount { return Amount{Currency: cur} }

// Parse reads a decimal string such as "12.34", "-0.5", "1,234" or "7" as an
// amount in cur. At most two decimal places are accepted.
func Parse(s string, cur Currency) (Amount, error) {
	orig := s
	s = strings.TrimSpace(s)
	if s == "" {
		return Amount{}, fmt.Errorf("money: empty amount")
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	s = strings.ReplaceAll(s, ",", "")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && (!hasDot || frac == "") {
		return Amount{}, fmt.Errorf("money: invalid amount %q", orig)
	}
	if len(frac) > 2 {
		return Amount{}, fmt.Errorf("money: too many decimal places in %q", orig)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 {
		return Amount{}, fmt.Errorf("money: invalid amount %q", orig)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return Amount{}, fmt.Errorf("money: invalid amount %q", orig)
	}
	cents := w*100 + f
	if neg {
		cents = -cents
	}
	return Amount{Cents: cents, Currency: cur}, nil
}

// MustParse is like Parse but panics on error. For constants and tests.
func MustParse(s string, cur Currency) Amount {
	a, err := Parse(s, cur)
	if err != nil {
		panic(err)
	}
	return a
}

// Add returns a+b. Both must be in the same currency.
func (a Amount) Add(b Amount) (Amount, error) {
	if a.Currency != b.Currency {
		return Amount{}, fmt.Errorf("%w: %s + %s", ErrCurrencyMismatch, a.Currency, b.Currency)
	}
	return Amount{Cents: a.Cents + b.Cents, Currency: a.Currency}, nil
}

// Sub returns a-b. Both must be in the same currency.
func (a Amount) Sub(b Amount) (Amount, error) {
	return a.Add(b.Neg())
}

// Neg returns -a.
func (a Amount) Neg() Amount { return Amount{Cents: -a.Cents, Currency: a.Currency} }

// Mul returns a multiplied by a whole quantity.
func (a Amount) Mul(qty int64) Amount {
	return Amount{Cents: a.Cents * qty, Currency: a.Currency}
}

// Percent returns p percent of a (in basis points: 825 = 8.25%), rounded
// half away from zero to the nearest cent.
func (a Amount) Percent(basisPoints int64) Amount {
	n := a.Cents * basisPoints
	q, r := n/10000, n%10000
	if r >= 5000 {
		q++
	} else if r <= -5000 {
		q--
	}
	return Amount{Cents: q, Currency: a.Currency}
}

// Allocate splits a into n parts that differ by at most one cent and sum to a.
func (a Amount) Allocate(n int) []Amount {
	if n <= 0 {
		return nil
	}
	parts := make([]Amount, n)
	base, rem := a.Cents/int64(n), a.Cents%int64(n)
	for i := range parts {
		parts[i] = Amount{Cents: base, Currency: a.Currency}
		switch {
		case rem > 0 && int64(i) < rem:
			parts[i].Cents++
		case rem < 0 && int64(i) < -rem:
			parts[i].Cents--
		}
	}
	return parts
}

// IsZero reports whether a is zero.
func (a Amount) IsZero() bool { return a.Cents == 0 }

// Decimal returns the plain decimal form, e.g. "-1234.50".
func (a Amount) Decimal() string {
	c := a.Cents
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// String formats a for people; see Format.
func (a Amount) String() string { return Format(a) }

type jsonAmount struct {
	Amount   string   `json:"amount"`
	Currency Currency `json:"currency"`
}

// MarshalJSON encodes a as {"amount":"12.34","currency":"USD"}.
func (a Amount) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonAmount{Amount: a.Decimal(), Currency: a.Currency})
}

// UnmarshalJSON decodes the form written by MarshalJSON.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var j jsonAmount
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.Currency == "" {
		return errors.New("money: missing currency")
	}
	v, err := Parse(j.Amount, j.Currency)
	if err != nil {
		return err
	}
	*a = v
	return nil
}
