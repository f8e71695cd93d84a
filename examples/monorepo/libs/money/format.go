package money

import "strings"

var symbols = map[Currency]string{
	USD: "$",
	EUR: "€",
	GBP: "£",
}

// Symbol returns the currency's symbol, or "" when it has none here.
func Symbol(cur Currency) string { return symbols[cur] }

// Format renders a with its currency symbol and thousands separators:
// "$1,234.56", "-€0.99", or "12.00 CHF" for currencies without a symbol.
func Format(a Amount) string {
	c := a.Cents
	neg := c < 0
	if neg {
		c = -c
	}
	num := group(c/100) + "." + pad2(c%100)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if sym, ok := symbols[a.Currency]; ok {
		b.WriteString(sym)
		b.WriteString(num)
	} else {
		b.WriteString(num)
		if a.Currency != "" {
			b.WriteByte(' ')
			b.WriteString(string(a.Currency))
		}
	}
	return b.String()
}

func pad2(n int64) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// group writes n with a comma every three digits.
func group(n int64) string {
	s := itoa(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first > 0 {
		b.WriteString(s[:first])
	}
	for i := first; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
