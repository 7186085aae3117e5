package trace

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/muxsim/muxsim/scheduler"
)

// browserTimeout bounds each run of the browser; a page of this size renders in about a
// second.
const browserTimeout = 60 * time.Second

// browser finds a Chromium-like binary: $CHROMIUM, then the usual names on $PATH.
func browser(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("the browser test starts Chromium three times (a few seconds): skipped with -short")
	}
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no browser found ($CHROMIUM, chromium, chromium-browser, google-chrome): run .ci/install-chromium to install Debian's chromium")
	return ""
}

// headless runs the browser on a page with extra flags and returns what it printed.
func headless(t *testing.T, bin, page string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu",
		"--user-data-dir=" + t.TempDir()}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(flags, " "), err, stderr.String())
	}
	return stdout.String()
}

// writePage writes v's HTML page into a temporary directory.
func writePage(t *testing.T, v *scheduler.Verdict) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trace.html")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var renderedRE = regexp.MustCompile(`data-rendered="(lanes=\d+[^"]*)"`)

// drawn returns the counts the page's script reports once it has drawn, by name: lanes,
// frames, framelabels, blocks, wakes, acquires, releases, tasks, locks, rows.
func drawn(t *testing.T, dom string) map[string]int {
	t.Helper()
	m := renderedRE.FindStringSubmatch(dom)
	if m == nil {
		i := strings.Index(dom, "<body")
		t.Fatalf("the page did not finish drawing; its body: %.300s", dom[max(i, 0):])
	}
	out := make(map[string]int)
	for _, kv := range strings.Fields(m[1]) {
		k, v, _ := strings.Cut(kv, "=")
		out[k], _ = strconv.Atoi(v)
	}
	return out
}

// rendered returns the lanes and frames the page's script reports once it has drawn.
func rendered(t *testing.T, dom string) (lanes, frames int) {
	t.Helper()
	n := drawn(t, dom)
	return n["lanes"], n["frames"]
}

// TestChromium opens pages in a real headless browser: a failing run's page must draw its
// lanes, a passing mux-mixed page its frame arrows with labels and its client and server
// lanes, the lock-order deadlock's page both mutexes with their holders, the live tasks,
// the block marks and the event list, and a screenshot of the failing page must show
// run bars and the red failure line.
func TestChromium(t *testing.T) {
	bin := browser(t)
	fail := writePage(t, failing(t))
	dom := headless(t, bin, fail, "--dump-dom")
	if lanes, _ := rendered(t, dom); lanes < 2 || !strings.Contains(dom, `class="lane"`) {
		t.Fatalf("failing page drew %d lanes, want 2 or more with class lane", lanes)
	}
	if !strings.Contains(dom, `class="failline"`) {
		t.Fatal("failing page has no failure line")
	}

	dom = headless(t, bin, writePage(t, mixed(t)), "--dump-dom")
	if lanes, frames := rendered(t, dom); lanes < 2 || frames < 1 || !strings.Contains(dom, `class="frame"`) {
		t.Fatalf("mux-mixed page drew %d lanes and %d frames, want lanes and frames", lanes, frames)
	}
	if n := drawn(t, dom); n["framelabels"] < 1 || !strings.Contains(dom, `class="framelabel"`) ||
		!strings.Contains(dom, `class="side client"`) || !strings.Contains(dom, `class="side server"`) {
		t.Fatalf("mux-mixed page labelled %d of %d frames, want some, and client and server lanes", n["framelabels"], n["frames"])
	}

	// The deadlock's page: both mutexes with their holders in the table, a lane mark for
	// each task's last block naming what it waits on, the live tasks, the event list.
	v := deadlocked(t)
	dom = headless(t, bin, writePage(t, v), "--dump-dom")
	n := drawn(t, dom)
	t.Logf("deadlock page: %v", n)
	if n["locks"] < 2 || n["tasks"] != len(v.Tasks) || n["blocks"] < 3 || n["acquires"] < 2 ||
		n["rows"] != len(v.Events)+len(v.Holds) {
		t.Fatalf("deadlock page drew %v: want 2 or more held mutexes, %d live tasks, 3 or more blocks, acquires, %d rows",
			n, len(v.Tasks), len(v.Events)+len(v.Holds))
	}
	for _, ti := range v.Tasks {
		what, holder, ok := strings.Cut(ti.Waiting, " held by ")
		if !ok {
			continue
		}
		// The table's row for the mutex, as the DOM serialises text: quotes stay as they
		// are, and the canary's names hold no <, > or &.
		row := "<td>" + what + "</td><td>" + holder + "</td>"
		if !strings.Contains(dom, row) {
			t.Errorf("deadlock page has no held-mutex row %s", row)
		}
	}
	if strings.Count(dom, `class="stuck"`) != 3 {
		t.Errorf("deadlock page labels %d lanes with what their task waits on, want 3", strings.Count(dom, `class="stuck"`))
	}

	shot := filepath.Join(t.TempDir(), "shot.png")
	headless(t, bin, fail, "--screenshot="+shot, "--window-size=1400,900", "--hide-scrollbars")
	bars, red := countColours(t, shot)
	// The failing run has dozens of bars of 14 px by at least 1 step (tens of px) each,
	// and a 2 px red line over the chart's height (148 px for its four lanes).
	t.Logf("screenshot: %d bar pixels, %d failure-red pixels", bars, red)
	if bars < 2000 || red < 150 {
		t.Fatalf("screenshot %s has %d pixels of the bar colour and %d of the failure red: the page looks blank", shot, bars, red)
	}
}

// countColours counts the screenshot's pixels of the run bars' colour (#2b7bb9) and of
// the failure line's red (#d00), allowing for colour management's rounding.
func countColours(t *testing.T, path string) (bars, red int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	near := func(r, g, b uint32, want [3]uint32) bool {
		d := func(x, y uint32) uint32 { return max(x, y) - min(x, y) }
		return d(r>>8, want[0]) <= 8 && d(g>>8, want[1]) <= 8 && d(b>>8, want[2]) <= 8
	}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			switch {
			case near(r, g, b, [3]uint32{0x2b, 0x7b, 0xb9}):
				bars++
			case near(r, g, b, [3]uint32{0xdd, 0x00, 0x00}):
				red++
			}
		}
	}
	return bars, red
}
