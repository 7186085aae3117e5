package translate

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/muxsim/muxsim/sim/internal/runfile"
)

// powerTimeout bounds one strategy's sweep of one seed range.
const powerTimeout = 10 * time.Minute

// measurePower is simrun test -power: for each selected test and each strategy of
// runfile.PowerStrategies, the seeds each of 20 disjoint ranges of the seed list needed
// before its first failure (median and worst; a range without one counts as its length,
// marked >), as simrun -power prints for scenarios, and whether every range's first
// failing seed, run again alone, fails with the same kind and hash. A run left at the
// step limit with the test still running does not count (runBin says why).
func (inv *invocation) measurePower(ctx context.Context, bin *Binary, tests []string, w io.Writer) int {
	size := len(inv.seeds) / runfile.PowerRanges
	runfile.PowerHeader(w, inv.seeds[0], uint64(size), []string{"test"}, []string{"replays"})
	for _, test := range tests {
		if !inv.run.MatchString(test) {
			continue
		}
		only := append([]string{"-run", "^" + test + "$"}, inv.limits...)
		row, replays := "", true
		for _, st := range runfile.PowerStrategies {
			var found []uint64
			missed := 0
			for r := range runfile.PowerRanges {
				c := sweep(bin, st, inv.seeds[r*size:(r+1)*size], only, powerTimeout)
				if !c.Found {
					missed++
					found = append(found, uint64(size))
					continue
				}
				found = append(found, uint64(c.Seeds))
				again := runBin(ctx, bin, append([]string{"-seeds", strconv.FormatUint(c.Seed, 10), "-strategy", st}, only...))
				replays = replays && again.Found && again.Hash == c.Hash && again.Kind == c.Kind
			}
			row += " " + runfile.PowerCell(found, missed) + " |"
		}
		fmt.Fprintf(w, "| %s |%s %s |\n", test, row, map[bool]string{true: "yes", false: "no"}[replays])
	}
	return 0
}

// powerSeeds checks that the seed list is one range of at least PowerRanges seeds.
func powerSeeds(seeds []uint64) error {
	ok := len(seeds) >= runfile.PowerRanges
	for i := 1; ok && i < len(seeds); i++ {
		ok = seeds[i] == seeds[i-1]+1
	}
	if !ok {
		return fmt.Errorf("-power wants one seed range of at least %d seeds, as -seeds 1-1000", runfile.PowerRanges)
	}
	return nil
}
