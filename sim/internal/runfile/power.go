package runfile

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// PowerRanges is how many disjoint seed ranges a power measurement (simrun -power,
// simrun test -power) splits its seeds into.
const PowerRanges = 20

// PowerStrategies are the strategies a power measurement compares, its columns.
var PowerStrategies = []string{"random", "pct1", "pct2", "pct3", "portfolio"}

// PowerCell renders one strategy's ranges as "median / worst" seeds to the first
// failure: found holds each range's count, a range without a failure counting as its
// length; missed is how many had none, and > marks a bound that some range did not
// reach.
func PowerCell(found []uint64, missed int) string {
	found = slices.Clone(found)
	slices.Sort(found)
	median, worst := found[len(found)/2], found[len(found)-1]
	mark, worstMark := "", ""
	if missed > len(found)/2 {
		mark = ">"
	}
	if missed > 0 {
		worstMark = ">"
	}
	return fmt.Sprintf("%s%d / %s%d", mark, median, worstMark, worst)
}

// PowerHeader writes a power table's caption and header: seeds from lo in PowerRanges
// ranges of size, the strategies' columns between head and tail.
func PowerHeader(w io.Writer, lo, size uint64, head, tail []string) {
	fmt.Fprintf(w, "seeds %d-%d in %d ranges of %d; cell = median / worst seeds to first failure\n\n",
		lo, lo+size*PowerRanges-1, PowerRanges, size)
	cols := slices.Concat(head, PowerStrategies, tail)
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
}
