//go:build unix

// Command gob-client is gob's native client: the `gob` launcher runs it first, and it sends a
// `gob build` to the workspace's gob server (see ../src/server/) without starting Node at all.
// Anything it cannot serve that way — another command, no server running, a server of another
// gob build, CI — it hands to gob's Node entry point (exec node ../dist/main.js), which does
// everything else, starting the server included. It speaks the protocol of
// ../src/server/protocol.ts and finds the server exactly as ../src/server/paths.ts does.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// protocolVersion is PROTOCOL_VERSION in ../src/server/protocol.ts.
const protocolVersion = 1

type streamInfo struct {
	IsTTY   bool `json:"isTTY"`
	Columns *int `json:"columns,omitempty"`
	Rows    *int `json:"rows,omitempty"`
}

type runFrame struct {
	T      string            `json:"t"`
	ID     string            `json:"id"`
	Argv   []string          `json:"argv"`
	Cwd    string            `json:"cwd"`
	Env    map[string]string `json:"env"`
	Stdout streamInfo        `json:"stdout"`
	Stderr streamInfo        `json:"stderr"`
}

type serverFrame struct {
	T    string `json:"t"`
	D    string `json:"d"`
	Code int    `json:"code"`
}

func main() {
	args := os.Args[1:]
	if len(args) == 1 && args[0] == "--gob-watch" {
		os.Exit(runWatch())
	}
	if !wantsServer(args) {
		handOver(args)
	}
	code, ok := runInServer(args)
	if !ok {
		handOver(args)
	}
	os.Exit(code)
}

// wantsServer is wantsServer in ../src/server/client.ts.
func wantsServer(args []string) bool {
	if len(args) == 0 || args[0] != "build" {
		return false
	}
	for _, a := range args {
		if a == "--no-server" {
			return false
		}
	}
	switch strings.ToLower(os.Getenv("GOB_SERVER")) {
	case "0", "false", "off":
		return false
	case "1", "true", "on":
		return true
	}
	return !inCI()
}

// inCI is inCi in ../src/ci.ts: CI or CONTINUOUS_INTEGRATION set to anything but 0 or false.
func inCI() bool {
	for _, name := range []string{"CI", "CONTINUOUS_INTEGRATION"} {
		if v, set := os.LookupEnv(name); set && v != "0" && v != "false" {
			return true
		}
	}
	return false
}

// runInServer runs args in a running server of this gob; ok is false when there is none to use.
func runInServer(args []string) (code int, ok bool) {
	id := buildID()
	if id == "" {
		return 0, false
	}
	// The physical directory, as Node's process.cwd() (os.Getwd would prefer a symlinked $PWD).
	cwd, err := syscall.Getwd()
	if err != nil {
		return 0, false
	}
	root := findRoot(cwd)
	if root == "" {
		return 0, false
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	conn, err := net.Dial("unix", socketPath(root, cwd))
	if err != nil {
		return 0, false
	}
	defer conn.Close()

	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, found := strings.Cut(kv, "="); found {
			env[k] = v
		}
	}
	run := runFrame{T: "run", ID: id, Argv: args, Cwd: cwd, Env: env, Stdout: info(1), Stderr: info(2)}
	line, _ := json.Marshal(run)
	if _, err := conn.Write(append(line, '\n')); err != nil {
		return 0, false
	}

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGWINCH)
	go func() {
		cancelled := false
		for s := range signals {
			switch {
			case s == syscall.SIGWINCH:
				if c, r, tty := size(1); tty {
					b, _ := json.Marshal(map[string]any{"t": "resize", "columns": c, "rows": r})
					conn.Write(append(b, '\n'))
				}
			case !cancelled:
				cancelled = true
				conn.Write([]byte("{\"t\":\"cancel\"}\n"))
			default:
				// The second Ctrl-C: leave now; the server stops the build in order.
				os.Exit(130)
			}
		}
	}()

	started := false
	scanner := bufio.NewScanner(conn)
	scanner.Buffer(make([]byte, 64*1024), 64*1024*1024)
	for scanner.Scan() {
		var f serverFrame
		if json.Unmarshal(scanner.Bytes(), &f) != nil {
			break
		}
		switch f.T {
		case "out":
			started = true
			os.Stdout.WriteString(f.D)
		case "err":
			started = true
			os.Stderr.WriteString(f.D)
		case "exit":
			return f.Code, true
		case "mismatch":
			// Another gob's server: the Node entry point deals with it.
			return 0, false
		}
	}
	if !started {
		return 0, false
	}
	os.Stderr.WriteString("gob: the gob server stopped during the build; the cache is consistent, run the build again\n")
	return 70, true
}

// handOver replaces this process with gob's Node entry point, with the same arguments.
func handOver(args []string) {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	node, lookErr := exec.LookPath("node")
	if err != nil || lookErr != nil {
		os.Stderr.WriteString("gob: cannot find node on PATH (gob needs Node.js >= 20.19)\n")
		os.Exit(70)
	}
	main := filepath.Join(filepath.Dir(self), "main.js")
	err = syscall.Exec(node, append([]string{"node", main}, args...), os.Environ())
	os.Stderr.WriteString("gob: cannot run node: " + err.Error() + "\n")
	os.Exit(70)
}

// buildID is the gob build id (../../core/generated/build-id.json, next to this binary's dist/),
// as serverIdentity in ../src/server/identity.ts sends it.
func buildID() string {
	self, err := os.Executable()
	if err != nil {
		return ""
	}
	if self, err = filepath.EvalSymlinks(self); err != nil {
		return ""
	}
	text, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "..", "core", "generated", "build-id.json"))
	if err != nil {
		return ""
	}
	var doc struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(text, &doc) != nil || doc.ID == "" {
		return ""
	}
	return doc.ID + "|p" + strconv.Itoa(protocolVersion) + "|native"
}

// findRoot is findWorkspaceRoot: the nearest directory at or above dir with a gob.yaml file.
func findRoot(dir string) string {
	for {
		if st, err := os.Stat(filepath.Join(dir, "gob.yaml")); err == nil && st.Mode().IsRegular() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// socketPath is serverPaths(root).socket: GOB_SERVER_DIR, else Node's os.tmpdir()/gob-<uid>.
func socketPath(root, cwd string) string {
	dir := os.Getenv("GOB_SERVER_DIR")
	if dir == "" {
		dir = filepath.Join(nodeTmpdir(), "gob-"+strconv.Itoa(os.Getuid()))
	} else if !filepath.IsAbs(dir) {
		dir = filepath.Join(cwd, dir) // path.resolve, from the physical directory
	}
	sum := sha256.Sum256([]byte(root))
	return filepath.Join(dir, hex.EncodeToString(sum[:])[:16]+".sock")
}

// nodeTmpdir is Node's os.tmpdir() on unix: TMPDIR, TMP or TEMP, else /tmp, without a trailing slash.
func nodeTmpdir() string {
	for _, name := range []string{"TMPDIR", "TMP", "TEMP"} {
		if v := os.Getenv(name); v != "" {
			if len(v) > 1 && strings.HasSuffix(v, "/") {
				v = v[:len(v)-1]
			}
			return v
		}
	}
	return "/tmp"
}

func info(fd int) streamInfo {
	c, r, tty := size(fd)
	if !tty {
		return streamInfo{}
	}
	return streamInfo{IsTTY: true, Columns: &c, Rows: &r}
}

// size reports a terminal's columns and rows; tty is false when fd is not a terminal.
func size(fd int) (columns, rows int, tty bool) {
	var ws struct{ Row, Col, X, Y uint16 }
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws)))
	if errno != 0 {
		return 0, 0, false
	}
	return int(ws.Col), int(ws.Row), true
}
