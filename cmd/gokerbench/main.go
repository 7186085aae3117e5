// Command gokerbench runs every GoBench GoKer kernel, unmodified, translated onto the
// simulated runtime, and prints a markdown table: kernel, type, found or not, the first
// failing seed, its verdict kind, or why the kernel cannot run. See docs/gobench.md.
//
//	go run ./cmd/gokerbench [-goker DIR] [-seeds 1-100] [-strategy portfolio] [-run REGEXP] [-max-steps N]
package main

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/muxsim/muxsim/sim/translate"
)

func main() {
	goker := flag.String("goker", translate.GoKerDir(), "the GoKer directory")
	seeds := flag.String("seeds", "1-100", "seeds per kernel")
	strategy := flag.String("strategy", "portfolio", "exploration strategy")
	run := flag.String("run", "", "only the kernels whose name (grpc_660) matches")
	timeout := flag.Duration("timeout", 3*time.Minute, "wall time per kernel")
	maxSteps := flag.String("max-steps", "1000000", "step limit of a run")
	flag.Parse()
	if *goker == "" {
		fmt.Fprintln(os.Stderr, "gokerbench: no GoKer directory (set -goker or GOKER_DIR)")
		os.Exit(2)
	}
	re := regexp.MustCompile(*run)
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
	var out []translate.Kernel
	for _, k := range ks {
		if !re.MatchString(k.Name) {
			continue
		}
		k = translate.RunKernel(k, root, []string{"-seeds", *seeds, "-strategy", *strategy, "-watchdog", "2s", "-max-steps", *maxSteps}, *timeout)
		fmt.Fprintf(os.Stderr, "%s found=%t seed=%d kind=%s %s (%v)\n", k.Name, k.Found, k.Seed, k.Kind, k.CantRun, k.Duration.Round(time.Millisecond))
		out = append(out, k)
	}
	translate.Table(os.Stdout, out)
}
