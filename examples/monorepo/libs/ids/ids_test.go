package ids

import "testing"

func TestNewParse(t *testing.T) {
	id := New("ch")
	if !Valid(id, "ch") {
		t.Fatalf("New(ch) = %q is not valid", id)
	}
	if Valid(id, "ord") {
		t.Errorf("%q accepted with prefix ord", id)
	}
	if Valid("ch_not-a-uuid", "ch") {
		t.Error("malformed uuid accepted")
	}
	if New("ch") == id {
		t.Error("two ids are equal")
	}
}
