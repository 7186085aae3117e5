package runfile

import (
	"fmt"
	"strconv"
	"strings"
)

// Span is an inclusive range of seeds.
type Span struct{ Lo, Hi uint64 }

// SeedsMax bounds one seed list, so a typo cannot ask for 2^64 runs.
const SeedsMax = 100_000_000

// ParseSeeds reads a seed list like "1-1000,4242" into spans, in the order given. The
// list holds at most SeedsMax seeds.
func ParseSeeds(s string) ([]Span, error) {
	var spans []Span
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
		// b-a, not b-a+1, first: the span 0-(2^64-1) holds 2^64 seeds, which wraps to 0.
		if b-a >= SeedsMax || total+(b-a+1) > SeedsMax {
			return nil, fmt.Errorf("seed list %q has more than %d seeds", s, SeedsMax)
		}
		total += b - a + 1
		spans = append(spans, Span{a, b})
	}
	return spans, nil
}

// FormatSeeds writes spans back as a seed list that ParseSeeds reads.
func FormatSeeds(spans []Span) string {
	parts := make([]string, len(spans))
	for i, sp := range spans {
		parts[i] = strconv.FormatUint(sp.Lo, 10)
		if sp.Hi != sp.Lo {
			parts[i] += "-" + strconv.FormatUint(sp.Hi, 10)
		}
	}
	return strings.Join(parts, ",")
}

// Each calls f for every seed of the spans, in order, until f returns false.
func Each(spans []Span, f func(seed uint64) bool) {
	for _, sp := range spans {
		for s := sp.Lo; ; s++ {
			if !f(s) {
				return
			}
			if s == sp.Hi {
				break // not s <= sp.Hi in the loop: Hi may be the largest uint64
			}
		}
	}
}

// Count is the number of seeds in the spans.
func Count(spans []Span) uint64 {
	n := uint64(0)
	for _, sp := range spans {
		n += sp.Hi - sp.Lo + 1
	}
	return n
}
