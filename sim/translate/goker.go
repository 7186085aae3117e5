package translate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Kernel is one GoKer bug kernel's outcome under the translator: found (some run
// failed), the first failing seed and its verdict kind, or why it could not run.
type Kernel struct {
	Name     string // project_issue, as the GoBench json names it: grpc_660
	Dir      string
	Type     string // blocking or nonblocking, and the json's type and subtype
	Found    bool
	Seed     uint64 // the first failing seed
	Kind     string // its verdict kind
	CantRun  string // why the kernel could not run ("" if it ran)
	Duration time.Duration
}

// GoKerDir returns the GoKer directory: $GOKER_DIR, else ../shared/gobench/goker from the
// module root's parent, or "" if there is none.
func GoKerDir() string {
	if d := os.Getenv("GOKER_DIR"); d != "" {
		return d
	}
	root, err := Root()
	if err != nil {
		return ""
	}
	d := filepath.Join(filepath.Dir(root), "shared", "gobench", "goker")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// Kernels lists GoKer's kernel directories (blocking/PROJECT/ISSUE, nonblocking/...),
// sorted, with their types from blocking.json and nonblocking.json beside goker.
func Kernels(goker string) ([]Kernel, error) {
	var ks []Kernel
	for _, class := range []string{"blocking", "nonblocking"} {
		types := map[string]struct{ Type, Subtype string }{}
		if b, err := os.ReadFile(filepath.Join(filepath.Dir(goker), class+".json")); err == nil {
			if err := json.Unmarshal(b, &types); err != nil {
				return nil, fmt.Errorf("%s.json: %v", class, err)
			}
		}
		dirs, _ := filepath.Glob(filepath.Join(goker, class, "*", "*"))
		sort.Strings(dirs)
		for _, d := range dirs {
			name := filepath.Base(filepath.Dir(d)) + "_" + filepath.Base(d)
			ty := class
			if t, ok := types[name]; ok {
				ty += ": " + t.Type + " / " + t.Subtype
			}
			ks = append(ks, Kernel{Name: name, Dir: d, Type: ty})
		}
	}
	return ks, nil
}

// verdictLine reads a verdict line's seed, outcome, trace hash and failure kind.
var verdictLine = regexp.MustCompile(`scenario=\S+ seed=(\d+) strategy=\S+ ok=(true|false) .*?hash=(\S+)(?: failure=(\S+))?$`)

// buildKernel translates and builds kernel k's tests, returning the binary to remove, or
// the one-line reason the kernel cannot run.
func buildKernel(ctx context.Context, k Kernel, o BuildOptions) (bin *Binary, cantRun string) {
	p, err := Dir(k.Dir, Options{})
	if err != nil {
		return nil, "translation: " + firstLine(err.Error())
	}
	if len(p.Tests) == 0 {
		return nil, "no Test functions"
	}
	bin, err = Build(ctx, p, o)
	if err != nil {
		return nil, "build: " + firstLine(strings.TrimPrefix(err.Error(), "build of the translation failed: exit status 1\n"))
	}
	return bin, ""
}

// Column is one strategy's sweep of a kernel: the runs made (up to the first failure,
// with -failfast), whether one failed, how many seeds it took and the failing run's
// seed, verdict kind and trace hash.
type Column struct {
	Strategy string
	Runs     int
	Livelock int // runs at the step or time limit with the test still running (not found)
	Found    bool
	Seeds    int    // seeds run up to and including the first failure
	Seed     uint64 // the first failing seed
	Kind     string
	Hash     string
	CantRun  string // why the binary gave no verdict ("" if it did)
}

// runBin runs a built kernel with args and reads its verdict lines. A run that reached
// the step or time limit while the test function was still running does not count as
// finding the bug: PCT starves a low-priority task on purpose, so a producer and a
// consumer looping forever ahead of the main task (cockroach_1462) is a schedule Go's
// fair scheduler would not keep to; such runs are counted in Livelock. Every other
// failure counts.
func runBin(ctx context.Context, bin *Binary, args []string) (c Column) {
	var out bytes.Buffer
	cmd := bin.Command(ctx, args...)
	cmd.Stdout, cmd.Stderr = &out, io.Discard
	runErr := cmd.Run()
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := verdictLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		c.Runs++
		if m[4] == "livelock-steps" || m[4] == "livelock-time" {
			c.Livelock++
			continue
		}
		if m[2] == "false" && !c.Found {
			c.Found, c.Kind, c.Hash, c.Seeds = true, m[4], m[3], c.Runs
			c.Seed, _ = strconv.ParseUint(m[1], 10, 64)
		}
	}
	if c.Runs == 0 && runErr != nil {
		c.CantRun = "run: " + runErr.Error()
	}
	return c
}

// firstLine returns the first line of s that is not a go command's "# package" header.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l != "" && !strings.HasPrefix(l, "# ") {
			return l
		}
	}
	return s
}
