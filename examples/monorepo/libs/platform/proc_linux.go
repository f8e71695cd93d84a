package platform

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// residentSetSize reads VmRSS from /proc/self/status.
func residentSetSize() (uint64, string) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, "unavailable"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest) // e.g. ["10240", "kB"]
		if len(fields) == 0 {
			break
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			break
		}
		return kb * 1024, "/proc/self/status"
	}
	return 0, "unavailable"
}
