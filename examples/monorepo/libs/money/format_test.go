package money_test

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"example.com/acme/libs/money"
)

// TestFormatTable checks every case in testdata/amounts.txt: each line is
// "input currency cents formatted", fields separated by " | ".
func TestFormatTable(t *testing.T) {
	f, err := os.Open("testdata/amounts.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, " | ")
		if len(fields) != 3 {
			t.Fatalf("bad testdata line %q", line)
		}
		in, cur, want := fields[0], money.Currency(fields[1]), fields[2]
		a, err := money.Parse(in, cur)
		if err != nil {
			t.Errorf("Parse(%q, %s): %v", in, cur, err)
			continue
		}
		if got := money.Format(a); got != want {
			t.Errorf("Format(Parse(%q, %s)) = %q, want %q", in, cur, got, want)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no cases in testdata/amounts.txt")
	}
}

func ExampleFormat() {
	total := money.MustParse("1234.5", money.USD).Mul(3)
	fmt.Println(money.Format(total))
	// Output: $3,703.50
}
