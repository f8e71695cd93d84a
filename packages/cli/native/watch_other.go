//go:build unix && !linux

package main

import (
	"fmt"
	"os"
)

// runWatch: the file watcher is inotify's (watch_linux.go); elsewhere the gob server checks every file.
func runWatch() int {
	fmt.Fprintln(os.Stderr, "gob-client: --gob-watch is only available on Linux")
	return 2
}
