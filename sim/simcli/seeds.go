package simcli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// seedSpan is an inclusive range of seeds.
type seedSpan struct{ lo, hi uint64 }

// maxSeeds bounds one invocation's seed list, so a typo cannot ask for 2^64 runs.
const maxSeeds = 100_000_000

// parseSeeds reads a list like "1-1000,4242" into spans, in the order given.
func parseSeeds(s string) ([]seedSpan, error) {
	var spans []seedSpan
	total := uint64(0)
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("empty element in seed list %q", s)
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(lo, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bad seed %q in %q", lo, s)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(hi, 10, 64); err != nil {
				return nil, fmt.Errorf("bad seed %q in %q", hi, s)
			}
			if b < a {
				return nil, fmt.Errorf("seed range %q runs backwards", part)
			}
		}
		total += b - a + 1
		if total > maxSeeds || b-a+1 > maxSeeds {
			return nil, fmt.Errorf("seed list %q has more than %d seeds", s, maxSeeds)
		}
		spans = append(spans, seedSpan{a, b})
	}
	return spans, nil
}

// each calls f for every seed of the spans, in order, until f returns false.
func each(spans []seedSpan, f func(seed uint64) bool) {
	for _, sp := range spans {
		for s := sp.lo; ; s++ {
			if !f(s) {
				return
			}
			if s == sp.hi {
				break
			}
		}
	}
}

func count(spans []seedSpan) uint64 {
	n := uint64(0)
	for _, sp := range spans {
		n += sp.hi - sp.lo + 1
	}
	return n
}

// parseParams reads workload sizes: "streams=4,rounds=2".
func parseParams(s string) (sim.Params, error) {
	var ps sim.Params
	if s == "" {
		return ps, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		n, err := strconv.Atoi(v)
		if !ok || k == "" || err != nil {
			return nil, fmt.Errorf("bad -param %q: want name=integer, comma-separated", kv)
		}
		ps = ps.With(k, n)
	}
	return ps, nil
}
