//go:build ignore

// This file is always excluded from builds by the "ignore" constraint. It is
// kept as a reference for the pre-2024 float-based formatter. gob's tests edit
// it to prove that changing an excluded file does not trigger a rebuild.

package money

import "fmt"

// LegacyFormat is the old, lossy formatter. Do not use.
func LegacyFormat(dollars float64) string {
	return fmt.Sprintf("$%.2f", dollars)
}
