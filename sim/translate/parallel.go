package translate

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"sync"

	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// slice is one process's share of a -parallel sweep: one test over a contiguous slice of
// the seed list, whose first job is number base in the sweep's order (tests in source
// order, each over every seed), so that -shard picks the same jobs as without -parallel.
type slice struct {
	test  string
	seeds []uint64
	base  uint64

	out, err bytes.Buffer
	code     int
	runErr   error
	done     chan struct{}
}

// runSlices runs the selected tests over inv.parallel processes at once, each test's seed
// list cut into up to inv.parallel slices, and prints each slice's output in order once it
// and every slice before it have finished: the output is the one a single process prints,
// line for line. After a test's first failing slice, the later slices' reports are left
// out (one report per test, as in one process), and with -failfast their verdicts too.
// The shims use a process-global runtime, so parallel runs must be processes.
func (inv *invocation) runSlices(ctx context.Context, bin *Binary, tests, base []string, stdout, stderr io.Writer) (int, error) {
	slices := inv.plan(tests)
	sem := make(chan struct{}, inv.parallel)
	var wg sync.WaitGroup
	for _, s := range slices {
		wg.Go(func() {
			defer close(s.done)
			sem <- struct{}{}
			defer func() { <-sem }()
			args := append(append([]string(nil), base...), "-run", "^"+s.test+"$", "-seeds", formatSeeds(s.seeds),
				"-job-base", strconv.FormatUint(s.base, 10))
			s.code, s.runErr = runBinary(ctx, bin, args, &s.out, &s.err)
		})
	}
	defer wg.Wait()
	code := 0
	var firstErr error
	failed := map[string]bool{}
	for _, s := range slices {
		<-s.done
		if s.runErr != nil && firstErr == nil {
			firstErr = s.runErr
		}
		if failed[s.test] && inv.failfast() {
			continue
		}
		stdout.Write(s.out.Bytes())
		if !failed[s.test] {
			stderr.Write(s.err.Bytes())
		}
		code = max(code, s.code)
		if s.code != 0 {
			failed[s.test] = true
		}
	}
	return code, firstErr
}

// failfast reports whether -failfast is among the flags passed on.
func (inv *invocation) failfast() bool {
	for _, a := range inv.pass {
		if a == "-failfast" {
			return true
		}
	}
	return false
}

// plan cuts the sweep into slices: each test that -run selects, in source order, over
// its seeds in up to inv.parallel contiguous slices.
func (inv *invocation) plan(tests []string) []*slice {
	var out []*slice
	n := uint64(len(inv.seeds))
	size := (n + uint64(inv.parallel) - 1) / uint64(inv.parallel)
	k := uint64(0)
	for _, t := range tests {
		if !inv.run.MatchString(t) {
			continue
		}
		for lo := uint64(0); lo < n; lo += size {
			hi := min(lo+size, n)
			out = append(out, &slice{test: t, seeds: inv.seeds[lo:hi], base: k*n + lo, done: make(chan struct{})})
		}
		k++
	}
	return out
}

// formatSeeds writes seeds as a seed list, runs of consecutive seeds as ranges.
func formatSeeds(seeds []uint64) string {
	var spans []runfile.Span
	for _, s := range seeds {
		if l := len(spans); l > 0 && spans[l-1].Hi+1 == s && s != 0 {
			spans[l-1].Hi = s
			continue
		}
		spans = append(spans, runfile.Span{Lo: s, Hi: s})
	}
	if len(spans) == 0 {
		return ""
	}
	return runfile.FormatSeeds(spans)
}
