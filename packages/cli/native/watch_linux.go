//go:build linux

// `gob-client --gob-watch`: the gob server's file watcher (../src/server/watch.ts), with inotify.
// Unlike Node's fs.watch it says when it may have missed an event (the kernel's queue
// overflowed, a watched directory went away, a file system it cannot trust), so that the server
// then checks every file instead of trusting the events.
//
// stdin, one command per line:
//
//	w ID "DIR"    watch DIR (absolute, JSON string); ID names it in the answers
//	s N           sync: answered once every event that happened before it has been written
//
// stdout, one answer per line:
//
//	c ID "NAME"   something happened to NAME inside directory ID
//	d ID          directory ID itself was removed, moved or unmounted
//	o             events were lost (queue overflow)
//	x ID "MSG"    directory ID cannot be watched
//	s N           everything up to sync N has been written
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

const watchMask = syscall.IN_MODIFY | syscall.IN_ATTRIB | syscall.IN_CLOSE_WRITE | syscall.IN_CREATE | syscall.IN_DELETE |
	syscall.IN_MOVED_FROM | syscall.IN_MOVED_TO | syscall.IN_DELETE_SELF | syscall.IN_MOVE_SELF | syscall.IN_ONLYDIR

// File systems whose changes all pass through this kernel, so that inotify sees every one
// (not NFS, SMB, FUSE or 9p, whose files can change elsewhere).
var localFileSystems = map[int64]string{
	0xEF53:     "ext2/3/4",
	0x58465342: "xfs",
	0x9123683E: "btrfs",
	0x01021994: "tmpfs",
	0x794C7630: "overlayfs",
	0x2FC12FC1: "zfs",
	0xF2F52010: "f2fs",
	0x3153464A: "jfs",
	0x52654973: "reiserfs",
}

type watcher struct {
	fd      int
	mu      sync.Mutex
	out     *bufio.Writer
	ids     map[int32][]int // inotify wd → the ids watching it
	cookies map[string]int  // cookie file name → sync number
	cookieW int32
	dir     string
}

func runWatch() int {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gob-client: inotify:", err)
		return 1
	}
	cookieDir, err := os.MkdirTemp("", "gob-watch-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gob-client:", err)
		return 1
	}
	defer os.RemoveAll(cookieDir)
	// The server ends the watcher with SIGTERM when it stops: the sync directory goes with it
	// (a deferred call does not run when a signal ends the process).
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	go func() {
		<-stop
		os.RemoveAll(cookieDir)
		os.Exit(0)
	}()
	w := &watcher{fd: fd, out: bufio.NewWriter(os.Stdout), ids: map[int32][]int{}, cookies: map[string]int{}, dir: cookieDir}
	cw, err := syscall.InotifyAddWatch(fd, cookieDir, syscall.IN_CREATE)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gob-client: inotify:", err)
		return 1
	}
	w.cookieW = int32(cw)
	go w.read()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	for in.Scan() {
		w.command(in.Text())
	}
	// The server closed stdin (it stopped): so do we.
	return 0
}

func (w *watcher) command(line string) {
	op, rest, _ := strings.Cut(line, " ")
	switch op {
	case "w":
		idText, pathText, _ := strings.Cut(rest, " ")
		id, err := strconv.Atoi(idText)
		var dir string
		if err == nil {
			err = json.Unmarshal([]byte(pathText), &dir)
		}
		if err != nil {
			return
		}
		w.add(id, dir)
	case "s":
		n, err := strconv.Atoi(rest)
		if err != nil {
			return
		}
		// The cookie's creation event comes after every event that happened before it: inotify
		// keeps one queue per instance, in order.
		name := fmt.Sprintf("sync-%d", n)
		w.mu.Lock()
		w.cookies[name] = n
		w.mu.Unlock()
		if err := os.WriteFile(filepath.Join(w.dir, name), nil, 0o600); err != nil {
			// No marker, no ordering: say so, and answer anyway.
			w.mu.Lock()
			delete(w.cookies, name)
			w.mu.Unlock()
			w.emit("o")
			w.emit("s " + strconv.Itoa(n))
		}
	}
}

func (w *watcher) add(id int, dir string) {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		w.emit("x " + strconv.Itoa(id) + " " + quote(err.Error()))
		return
	}
	if _, ok := localFileSystems[int64(fs.Type)]; !ok {
		w.emit("x " + strconv.Itoa(id) + " " + quote(fmt.Sprintf("file system type 0x%x is not watched", fs.Type)))
		return
	}
	wd, err := syscall.InotifyAddWatch(w.fd, dir, watchMask)
	if err != nil {
		w.emit("x " + strconv.Itoa(id) + " " + quote(err.Error()))
		return
	}
	w.mu.Lock()
	w.ids[int32(wd)] = append(w.ids[int32(wd)], id)
	w.mu.Unlock()
}

func (w *watcher) read() {
	buf := make([]byte, 256*1024)
	for {
		n, err := syscall.Read(w.fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			w.emit("o")
			os.Exit(1)
		}
		w.mu.Lock()
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			e := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			nameBytes := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+int(e.Len)]
			off += syscall.SizeofInotifyEvent + int(e.Len)
			name := strings.TrimRight(string(nameBytes), "\x00")
			switch {
			case e.Mask&syscall.IN_Q_OVERFLOW != 0:
				w.line("o")
			case e.Wd == w.cookieW:
				if s, ok := w.cookies[name]; ok {
					delete(w.cookies, name)
					_ = os.Remove(filepath.Join(w.dir, name))
					w.line("s " + strconv.Itoa(s))
				}
			case e.Mask&(syscall.IN_DELETE_SELF|syscall.IN_MOVE_SELF|syscall.IN_UNMOUNT|syscall.IN_IGNORED) != 0:
				for _, id := range w.ids[e.Wd] {
					w.line("d " + strconv.Itoa(id))
				}
				if e.Mask&syscall.IN_IGNORED != 0 {
					delete(w.ids, e.Wd)
				}
			default:
				for _, id := range w.ids[e.Wd] {
					w.line("c " + strconv.Itoa(id) + " " + quote(name))
				}
			}
		}
		w.out.Flush()
		w.mu.Unlock()
	}
}

// line writes one answer; the caller holds mu and flushes.
func (w *watcher) line(s string) {
	w.out.WriteString(s)
	w.out.WriteByte('\n')
}

func (w *watcher) emit(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.line(s)
	w.out.Flush()
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
