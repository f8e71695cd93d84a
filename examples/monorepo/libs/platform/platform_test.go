package platform

import (
	"runtime"
	"testing"
)

func TestHost(t *testing.T) {
	info := Host()
	if info.GOOS != runtime.GOOS || info.GOARCH != runtime.GOARCH {
		t.Errorf("Host() = %+v", info)
	}
	if info.NumCPU < 1 || info.PID == 0 {
		t.Errorf("Host() = %+v", info)
	}
	if runtime.GOOS == "linux" && info.RSSBytes == 0 {
		t.Errorf("on linux RSS should come from /proc, got %+v", info)
	}
}
