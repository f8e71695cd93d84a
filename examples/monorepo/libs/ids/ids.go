// Package ids makes prefixed, random identifiers such as
// "ch_0b9a6c5e-3f41-4c3e-9d7a-2f1c7e2b9a10" for API resources.
package ids

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// New returns a new identifier with the given prefix (e.g. "ch", "ord").
func New(prefix string) string {
	return prefix + "_" + uuid.NewString()
}

// Parse splits id into its prefix and UUID, checking that the prefix is
// the expected one.
func Parse(id, wantPrefix string) (uuid.UUID, error) {
	prefix, rest, ok := strings.Cut(id, "_")
	if !ok || prefix != wantPrefix {
		return uuid.Nil, fmt.Errorf("ids: %q is not a %s_ identifier", id, wantPrefix)
	}
	u, err := uuid.Parse(rest)
	if err != nil {
		return uuid.Nil, fmt.Errorf("ids: %q: %w", id, err)
	}
	return u, nil
}

// Valid reports whether id is a well-formed identifier with the prefix.
func Valid(id, prefix string) bool {
	_, err := Parse(id, prefix)
	return err == nil
}
