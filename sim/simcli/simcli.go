package simcli

import (
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"github.com/muxsim/muxsim/sim/translate"
	"io"
	"os"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
	"github.com/muxsim/muxsim/sim/internal/runfile"
)

//go:embed doc.go
var docSource string

// Main runs the command with the process's arguments and standard streams and returns
// the exit status: a main is os.Exit(simcli.Main(cfg)).
func Main(c Config) int {
	return Run(os.Args[1:], os.Stdout, os.Stderr, c)
}

// Run runs the command with args (without the program name) and returns its exit status:
// 0 when every run passed, 1 when any failed, 2 on bad usage.
func Run(args []string, stdout, stderr io.Writer, c Config) int {
	c = c.withDefaults()
	if len(args) > 0 && args[0] == "test" {
		// Ordinary Go tests, translated onto the simulated runtime (package sim/translate).
		return translate.MainFor("go run "+c.Package+" test", args, stdout, stderr)
	}
	cfg, mode, err := parseFlags(c, args, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", c.Name, err)
		return 2
	}
	switch mode {
	case modeList:
		cfg.printList(stdout)
		return 0
	case modePower:
		return measurePower(cfg, stdout, stderr)
	case modeReal:
		return runReal(cfg, stdout, stderr)
	case modeReplay:
		return replayFile(cfg, cfg.replay, stdout, stderr)
	case modeShrink:
		return shrinkRun(cfg, stdout, stderr)
	case modeWhy:
		return explainFile(cfg, cfg.why, stdout, stderr)
	}
	return sweep(cfg, stdout, stderr)
}

// invocation is the parsed command line.
type invocation struct {
	prog      Config
	bug       string
	seeds     []runfile.Span
	scenarios []*catalog.Scenario
	strategy  sim.Strategy
	jitter    sim.Jitter // -jitter: the time perturbation per run
	baton     string
	parallel  int
	json      bool
	verbose   bool
	real      bool          // run stress-style scenarios on the real runtime over TCP
	realFor   time.Duration // with real: a wall-time budget per scenario instead of a seed count
	maxSteps  uint64
	watchdog  time.Duration
	coverage  map[string]*sim.Coverage // per scenario, for the sweep's report

	shard            shard
	checkDeterminism bool
	outDir           string // failure bundles and shrunk scripts
	traceFile        string
	replay           string     // a decision file to run
	why              string     // a failing decision file to explain
	whyRuns          int        // with why: trials per prefix
	params           sim.Params // workload size overrides
}

// errorf prints an error line that starts with the program's name.
func (cfg *invocation) errorf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, cfg.prog.Name+": "+format, args...)
}

// flagValues are the flags as parsed, before they are checked against each other.
type flagValues struct {
	seed                                 uint64
	seeds, names, strategy, baton, bug   string
	jitter                               string
	shard, outDir, traceFile, replay     string
	why                                  string
	whyRuns                              int
	params                               string
	canaries, list, json, verbose, power bool
	listBugs, real, checkDet, shrink     bool
	parallel                             int
	maxSteps                             uint64
	watchdog, realFor                    time.Duration
}

func newFlagSet(name string, v *flagValues) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Uint64Var(&v.seed, "seed", 1, "run one seed")
	fs.StringVar(&v.seeds, "seeds", "", "seeds to sweep, e.g. 1-1000,4242")
	fs.StringVar(&v.names, "scenario", "", "comma-separated scenarios")
	fs.BoolVar(&v.canaries, "canaries", false, "include the canaries")
	fs.BoolVar(&v.list, "list", false, "list the scenarios")
	fs.StringVar(&v.strategy, "strategy", "portfolio", "exploration strategy")
	fs.StringVar(&v.jitter, "jitter", "portfolio", "time perturbation: on, off, or portfolio (as the strategy says)")
	fs.StringVar(&v.baton, "baton", "", "coro or chan")
	fs.IntVar(&v.parallel, "parallel", runtime.NumCPU(), "runs at once")
	fs.BoolVar(&v.json, "json", false, "JSON lines")
	fs.BoolVar(&v.verbose, "v", false, "print every verdict line")
	fs.BoolVar(&v.power, "power", false, "measure seeds-to-first-failure")
	fs.Uint64Var(&v.maxSteps, "max-steps", scheduler.DefaultMaxSteps, "step limit per run")
	fs.StringVar(&v.bug, "bug", "", "switch a known bug on")
	fs.BoolVar(&v.listBugs, "bugs", false, "list the known bugs")
	fs.DurationVar(&v.watchdog, "watchdog", scheduler.DefaultWatchdog, "escape watchdog")
	fs.BoolVar(&v.real, "real", false, "run on real goroutines over loopback TCP")
	fs.DurationVar(&v.realFor, "for", 0, "with -real: wall time per scenario")
	fs.StringVar(&v.shard, "shard", "1/1", "run slice i of n")
	fs.BoolVar(&v.checkDet, "check-determinism", false, "run each seed twice and compare")
	fs.StringVar(&v.outDir, "out", "", "directory for failure bundles")
	fs.StringVar(&v.traceFile, "trace", "", "write one run's trace")
	fs.BoolVar(&v.shrink, "shrink", false, "minimise a failing run")
	fs.StringVar(&v.replay, "replay", "", "run a decision file")
	fs.StringVar(&v.params, "param", "", "workload sizes, name=value,...")
	fs.StringVar(&v.why, "why", "", "find where a failing decision file's failure became inevitable")
	fs.IntVar(&v.whyRuns, "why-runs", whyRunsDefault, "with -why: trials per prefix")
	return fs
}

func parseFlags(c Config, args []string, stdout, stderr io.Writer) (*invocation, mode, error) {
	var v flagValues
	fs := newFlagSet(c.Name, &v)
	// The flag package would print its error and then the whole help; a usage error is
	// one line (Run prints it) with a hint, and only -h prints the help.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, helpText(c))
			return nil, 0, err
		}
		return nil, 0, fmt.Errorf("%v (%s -h for help)", err, c.Name)
	}
	if fs.NArg() > 0 {
		return nil, 0, fmt.Errorf("unexpected argument %q (flags only; %s -h for help)", fs.Arg(0), c.Name)
	}
	m := modeOf(&v)
	if err := checkModeFlags(fs, m); err != nil {
		return nil, 0, err
	}
	if m == modeBugs {
		return nil, 0, listBugs(c, stdout)
	}
	if err := enableBug(c, v.bug, m); err != nil {
		return nil, 0, err
	}
	cfg, err := v.invocation(c, m)
	return cfg, m, err
}

// invocation checks the flag values against each other and the catalogue.
func (v *flagValues) invocation(c Config, m mode) (*invocation, error) {
	cfg := &invocation{prog: c, bug: v.bug, baton: v.baton, parallel: v.parallel, json: v.json, verbose: v.verbose,
		maxSteps: v.maxSteps, watchdog: v.watchdog, real: v.real, realFor: v.realFor,
		checkDeterminism: v.checkDet, outDir: v.outDir, traceFile: v.traceFile, replay: v.replay,
		why: v.why, whyRuns: v.whyRuns}
	var err error
	if cfg.shard, err = parseShard(v.shard); err != nil {
		return nil, err
	}
	if cfg.params, err = parseParams(v.params); err != nil {
		return nil, err
	}
	if m == modeSweep && cfg.traceFile != "" && (v.seeds != "" || v.names == "" || strings.Contains(v.names, ",")) {
		return nil, fmt.Errorf("-trace writes one run: give -scenario NAME -seed N (or -replay FILE)")
	}
	if cfg.strategy, err = sim.ParseStrategy(v.strategy); err != nil {
		return nil, err
	}
	var ok bool
	if cfg.jitter, ok = scheduler.ParseJitter(v.jitter); !ok {
		return nil, fmt.Errorf("unknown -jitter %q (want on, off or portfolio)", v.jitter)
	}
	switch cfg.baton {
	case "", "coro", "chan":
	default:
		return nil, fmt.Errorf("unknown baton %q (want coro or chan)", cfg.baton)
	}
	if cfg.parallel < 1 {
		return nil, fmt.Errorf("-parallel must be at least 1")
	}
	if cfg.whyRuns < 1 || cfg.whyRuns > whyRunsMax {
		return nil, fmt.Errorf("-why-runs must be between 1 and %d", whyRunsMax)
	}
	switch {
	case v.seeds != "":
		if cfg.seeds, err = runfile.ParseSeeds(v.seeds); err != nil {
			return nil, err
		}
	case cfg.realFor > 0:
		cfg.seeds = []runfile.Span{{Lo: 1, Hi: runfile.SeedsMax}}
	default:
		cfg.seeds = []runfile.Span{{Lo: v.seed, Hi: v.seed}}
	}
	if cfg.scenarios, err = cfg.pickScenarios(v.names, v.canaries); err != nil {
		return nil, err
	}
	for _, sc := range cfg.scenarios {
		if err := sc.CheckParams(cfg.params); err != nil {
			return nil, fmt.Errorf("-param: %v (%s -list -v shows each scenario's)", err, c.Name)
		}
	}
	return cfg, nil
}

func (cfg *invocation) pickScenarios(names string, canaries bool) ([]*catalog.Scenario, error) {
	cat := cfg.prog.Catalog
	if names == "" {
		switch {
		case cfg.real:
			return cat.RealOnes(), nil
		case canaries:
			return cat.All(), nil
		}
		return cat.Default(), nil
	}
	var out []*catalog.Scenario
	for _, n := range strings.Split(names, ",") {
		sc := cat.Lookup(strings.TrimSpace(n))
		if sc == nil {
			return nil, fmt.Errorf("unknown scenario %q (%s -list shows them)", n, cfg.prog.Name)
		}
		out = append(out, sc)
	}
	return out, nil
}

// printList lists the catalogue (with -real, the scenarios that run for real), with each
// scenario's sizes under -v.
func (cfg *invocation) printList(w io.Writer) {
	scs := cfg.prog.Catalog.All()
	if cfg.real {
		scs = cfg.prog.Catalog.RealOnes()
	}
	width := 0
	for _, sc := range scs {
		width = max(width, len(sc.Name))
	}
	for _, sc := range scs {
		tag := ""
		if sc.Canary {
			tag = " [canary]"
		}
		if sc.Real {
			tag = " [real]"
		}
		fmt.Fprintf(w, "%-*s  %s%s\n", width, sc.Name, sc.Summary(), tag)
		if !cfg.verbose {
			continue
		}
		for _, p := range sc.Params {
			fmt.Fprintf(w, "%-*s    -param %s=%d  %s (at least %d)\n", width, "", p.Name, p.Default, p.Doc, p.Min)
		}
	}
}

var simrunWord = regexp.MustCompile(`\bsimrun\b`)

// helpText is the program's Doc followed by the flag reference: this package's doc from
// its "Usage:" line on, without the comment markers, with the program's name for simrun.
func helpText(c Config) string {
	start := strings.Index(docSource, "\nUsage:")
	end := strings.LastIndex(docSource, "*/")
	if start < 0 || end < start {
		return c.Doc + "\n"
	}
	ref := simrunWord.ReplaceAllString(docSource[start+1:end], c.Name)
	return strings.TrimSpace(c.Doc) + "\n\n" + ref
}

// options builds the simulator options of one run of the named scenario.
func (cfg *invocation) options(name string, seed uint64) catalog.RunOptions {
	var o catalog.RunOptions
	o.Seed = seed
	o.Strategy = cfg.strategy
	o.TimeJitter = cfg.jitter
	o.MaxSteps = cfg.maxSteps
	o.Watchdog = cfg.watchdog
	o.Coverage = cfg.coverage[name]
	o.Params = cfg.params
	switch cfg.baton {
	case "coro":
		o.Baton = scheduler.BatonCoroutine
	case "chan":
		o.Baton = scheduler.BatonChannel
	}
	return o
}
