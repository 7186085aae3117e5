// Command gokerbench runs every GoBench GoKer kernel, unmodified, translated onto the
// simulated runtime, and prints a markdown table: kernel, type, found or not, the seeds
// to first failure under each strategy (random, pct1, pct2, pct3, portfolio,
// random+jitter; each sweep stops at its first failure), the verdict kind, whether the
// first failing seed replays with the same hash, and why a kernel cannot run; then the
// totals per strategy. See docs/gobench.md.
//
//	go run ./cmd/gokerbench [-goker DIR] [-seeds 1-100] [-strategies LIST] [-run REGEXP] [-max-steps N]
//	                        [-race=false] [-min-found N]
//
// The kernels are built with -race by default, so that a data race fails the run. With
// -min-found it exits 1 when fewer kernels are found by any column (the nightly's floor).
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/muxsim/muxsim/sim/translate"
)

func main() {
	goker := flag.String("goker", translate.GoKerDir(), "the GoKer directory")
	seeds := flag.String("seeds", "1-100", "seeds per kernel and strategy")
	strategies := flag.String("strategies", strings.Join(translate.Strategies, ","), "the table's columns: strategies, comma-separated")
	run := flag.String("run", "", "only the kernels whose name (grpc_660) matches")
	timeout := flag.Duration("timeout", 3*time.Minute, "wall time per kernel and strategy")
	maxSteps := flag.String("max-steps", "1000000", "step limit of a run")
	race := flag.Bool("race", true, "build the kernels with the race detector: a data race fails the run")
	minFound := flag.Int("min-found", 0, "exit 1 when fewer kernels are found (by any column)")
	flag.Parse()
	if *goker == "" {
		fmt.Fprintln(os.Stderr, "gokerbench: no GoKer directory (set -goker or GOKER_DIR)")
		os.Exit(2)
	}
	re, err := regexp.Compile(*run)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gokerbench: bad -run: %v\n", err)
		os.Exit(2)
	}
	root, err := translate.Root()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ks, err := translate.Kernels(*goker)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cols := strings.Split(*strategies, ",")
	extra := []string{"-watchdog", "2s", "-max-steps", *maxSteps}
	var out []translate.Sweep
	for _, k := range ks {
		if !re.MatchString(k.Name) {
			continue
		}
		sw := translate.Bench(k, translate.BuildOptions{Root: root, Race: *race}, cols, *seeds, extra, *timeout)
		var cells []string
		for _, c := range sw.Cols {
			cells = append(cells, fmt.Sprintf("%s=%d", c.Strategy, c.Seeds))
		}
		fmt.Fprintf(os.Stderr, "%s found=%t %s kind=%s replays=%q %s (%v)\n", k.Name, sw.Found, strings.Join(cells, " "), sw.Kind, sw.Replay, sw.CantRun, sw.Duration.Round(time.Millisecond))
		out = append(out, sw)
	}
	translate.SweepTable(os.Stdout, out, cols)
	found := 0
	for _, sw := range out {
		if sw.Found {
			found++
		}
	}
	if found < *minFound {
		fmt.Fprintf(os.Stderr, "gokerbench: %d kernels found, fewer than -min-found %d\n", found, *minFound)
		os.Exit(1)
	}
}
