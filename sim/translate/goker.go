package translate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
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
	Runs     int    // runs made (with -failfast, up to the first failure)
	Found    bool
	Seed     uint64 // the first failing seed
	Kind     string // its verdict kind
	Livelock int    // runs that reached the step or time limit with the test still running
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

// verdictLine reads a verdict line's seed and failure kind.
var verdictLine = regexp.MustCompile(`scenario=\S+ seed=(\d+) strategy=\S+ ok=(true|false) .*?(?: failure=(\S+))?$`)

// RunKernel translates, builds and runs one kernel with args (the binary's flags: the
// seeds, the strategy), within timeout of wall time. A run that reached the step or time
// limit while the test function was still running does not count as finding the bug:
// PCT starves a low-priority task on purpose, so a producer and a consumer looping
// forever ahead of the main task (cockroach_1462) is a schedule Go's fair scheduler would
// not keep to; such runs are counted in Livelock. Every other failure counts.
func RunKernel(k Kernel, root string, args []string, timeout time.Duration) (res Kernel) {
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	p, err := Dir(k.Dir)
	if err != nil {
		k.CantRun = "translation: " + firstLine(err.Error())
		return k
	}
	if len(p.Tests) == 0 {
		k.CantRun = "no Test functions"
		return k
	}
	bin, tmp, err := Build(ctx, p, root)
	if tmp != "" {
		defer os.RemoveAll(tmp)
	}
	if err != nil {
		k.CantRun = "build: " + firstLine(strings.TrimPrefix(err.Error(), "build of the translation failed: exit status 1\n"))
		return k
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, io.Discard
	runErr := cmd.Run()
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		m := verdictLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		k.Runs++
		if m[3] == "livelock-steps" || m[3] == "livelock-time" {
			k.Livelock++
			continue
		}
		if m[2] == "false" && !k.Found {
			k.Found, k.Kind = true, m[3]
			k.Seed, _ = strconv.ParseUint(m[1], 10, 64)
		}
	}
	if ctx.Err() != nil && !k.Found {
		k.CantRun = fmt.Sprintf("harness timeout after %v and %d runs", timeout, k.Runs)
	} else if k.Runs == 0 && runErr != nil {
		k.CantRun = "run: " + runErr.Error()
	}
	return k
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

// Table writes the kernels as a markdown table, then the totals.
func Table(w io.Writer, ks []Kernel) {
	fmt.Fprintln(w, "| kernel | type | found | first failing seed | verdict | note |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	found, ran := map[string]int{}, map[string]int{}
	total := map[string]int{}
	for _, k := range ks {
		class, _, _ := strings.Cut(k.Type, ":")
		total[class]++
		seed, note := "-", k.CantRun
		if k.Found {
			found[class]++
			seed = strconv.FormatUint(k.Seed, 10)
		}
		if k.CantRun == "" {
			ran[class]++
			note = fmt.Sprintf("%d runs", k.Runs)
			if k.Livelock > 0 {
				note += fmt.Sprintf(", %d livelock (not counted)", k.Livelock)
			}
		}
		fmt.Fprintf(w, "| %s | %s | %t | %s | %s | %s |\n", k.Name, k.Type, k.Found, seed, k.Kind, strings.ReplaceAll(note, "|", "\\|"))
	}
	fmt.Fprintln(w)
	for _, c := range []string{"blocking", "nonblocking"} {
		fmt.Fprintf(w, "%s: %d kernels, %d run, %d found\n", c, total[c], ran[c], found[c])
	}
}
