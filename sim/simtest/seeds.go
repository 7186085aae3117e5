package simtest

import (
	"fmt"
	"strconv"
	"strings"
)

// span is an inclusive range of seeds.
type span struct{ lo, hi uint64 }

// parseSeeds reads a seed list like "1-1000,4242" into spans, in the order given.
func parseSeeds(s string) ([]span, error) {
	var spans []span
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
		if b-a >= seedsMax || total+(b-a+1) > seedsMax {
			return nil, fmt.Errorf("seed list %q has more than %d seeds", s, seedsMax)
		}
		total += b - a + 1
		spans = append(spans, span{a, b})
	}
	return spans, nil
}

// formatSeeds writes spans back as a seed list.
func formatSeeds(spans []span) string {
	parts := make([]string, len(spans))
	for i, sp := range spans {
		parts[i] = strconv.FormatUint(sp.lo, 10)
		if sp.hi != sp.lo {
			parts[i] += "-" + strconv.FormatUint(sp.hi, 10)
		}
	}
	return strings.Join(parts, ",")
}
