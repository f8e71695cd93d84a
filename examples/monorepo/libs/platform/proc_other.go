//go:build !linux

package platform

// residentSetSize is not implemented outside Linux.
func residentSetSize() (uint64, string) {
	return 0, "unavailable"
}
