// Package platform describes the host a service runs on. Memory figures come
// from /proc on Linux (proc_linux.go) and are unavailable elsewhere
// (proc_other.go).
package platform

import (
	"os"
	"runtime"
	"time"
)

var started = time.Now()

// Info is a snapshot of the host and the current process.
type Info struct {
	Hostname  string `json:"hostname"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	GoVersion string `json:"go_version"`
	NumCPU    int    `json:"num_cpu"`
	PID       int    `json:"pid"`
	Uptime    string `json:"uptime"`
	// RSSBytes is the resident set size, or 0 when the platform cannot tell.
	RSSBytes uint64 `json:"rss_bytes"`
	// Source says where RSSBytes came from.
	Source string `json:"source"`
}

// Host returns information about the host and this process.
func Host() Info {
	host, _ := os.Hostname()
	rss, src := residentSetSize()
	return Info{
		Hostname:  host,
		GOOS:      runtime.GOOS,
		GOARCH:    runtime.GOARCH,
		GoVersion: runtime.Version(),
		NumCPU:    runtime.NumCPU(),
		PID:       os.Getpid(),
		Uptime:    time.Since(started).Round(time.Millisecond).String(),
		RSSBytes:  rss,
		Source:    src,
	}
}
