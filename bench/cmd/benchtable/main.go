// Command benchtable turns `go test -bench` output of this module into the Markdown
// table of README.md: per benchmark, the median ns/op, B/op and allocs/op of each stack
// and the ratios muxsim/drpc and muxsim/grpc of the median ns/op (below 1: muxsim is
// faster). It reads the output on standard input:
//
//	go test -run '^$' -bench . -count 5 | tee out.txt
//	go run ./cmd/benchtable < out.txt
//
// A benchmark with no result for a stack (a skip) shows "skip".
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// stacks are the columns, in order; the first is the one the ratios are of.
var stacks = []string{"github.com/muxsim/muxsim", "drpc", "grpc"}

var units = []string{"ns/op", "B/op", "allocs/op"}

// linesMax bounds the input read, so that a wrong file cannot exhaust memory.
const linesMax = 1 << 20

// results holds, per benchmark (the name without its stack), stack and unit, the values.
type results struct {
	order []string
	vals  map[string]map[string]map[string][]float64
}

func main() {
	r, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	r.print(os.Stdout)
}

func parse(in io.Reader) (*results, error) {
	r := &results{vals: make(map[string]map[string]map[string][]float64)}
	sc := bufio.NewScanner(in)
	for n := 0; sc.Scan(); n++ {
		if n >= linesMax {
			return nil, fmt.Errorf("more than %d lines", linesMax)
		}
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name, stack := split(f[0])
		if stack == "" || f[1] == "0" {
			continue // not ours, or a run that skipped after its first (N=0, NaN ns/op)
		}
		if r.vals[name] == nil {
			r.vals[name] = make(map[string]map[string][]float64)
			r.order = append(r.order, name)
		}
		if r.vals[name][stack] == nil {
			r.vals[name][stack] = make(map[string][]float64)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil || math.IsNaN(v) {
				return nil, fmt.Errorf("line %d: %q is not a number", n+1, f[i])
			}
			r.vals[name][stack][f[i+1]] = append(r.vals[name][stack][f[i+1]], v)
		}
	}
	return r, sc.Err()
}

// split takes the stack=S part out of a benchmark name and drops the -GOMAXPROCS suffix.
func split(full string) (name, stack string) {
	if i := strings.LastIndexByte(full, '-'); i > 0 {
		if _, err := strconv.Atoi(full[i+1:]); err == nil {
			full = full[:i]
		}
	}
	var parts []string
	for _, p := range strings.Split(full, "/") {
		if s, ok := strings.CutPrefix(p, "stack="); ok {
			stack = s
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "/"), stack
}

func median(v []float64) (float64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

func (r *results) print(w io.Writer) {
	fmt.Fprint(w, "| benchmark | n |")
	for _, u := range units {
		for _, s := range stacks {
			fmt.Fprintf(w, " %s %s |", s, u)
		}
		if u == "ns/op" {
			fmt.Fprintf(w, " %s/%s | %s/%s |", stacks[0], stacks[1], stacks[0], stacks[2])
		}
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, "|---|---|")
	for range len(units)*len(stacks) + 2 {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w)
	for _, name := range r.order {
		runs := 0 // the fewest results of a stack that has any
		for _, s := range stacks {
			if n := len(r.vals[name][s]["ns/op"]); n > 0 && (runs == 0 || n < runs) {
				runs = n
			}
		}
		fmt.Fprintf(w, "| %s | %d |", strings.TrimPrefix(name, "Benchmark"), runs)
		for _, u := range units {
			meds := make([]float64, len(stacks))
			oks := make([]bool, len(stacks))
			for i, s := range stacks {
				meds[i], oks[i] = median(r.vals[name][s][u])
				fmt.Fprintf(w, " %s |", cell(meds[i], oks[i]))
			}
			if u == "ns/op" {
				for _, i := range []int{1, 2} {
					if oks[0] && oks[i] && meds[i] > 0 {
						fmt.Fprintf(w, " %.2f |", meds[0]/meds[i])
					} else {
						fmt.Fprint(w, " – |")
					}
				}
			}
		}
		fmt.Fprintln(w)
	}
}

func cell(v float64, ok bool) string {
	if !ok {
		return "skip"
	}
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
