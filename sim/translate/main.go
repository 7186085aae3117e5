package translate

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/gort"
)

// ReplayPrefix is how a failure's replay command starts under simrun (Main); the
// directory follows. MainFor takes another program's.
const ReplayPrefix = "go run ./cmd/simrun test"

// Main is simrun test: it translates each directory's package (default "."), builds it
// and runs its Test functions under the scheduler, one run per (test, seed), printing one
// verdict line per run in simrun's format, and each test's first failure's report, which
// ends with the command that replays it. It returns 1 if any run failed or a directory
// could not be translated or built, 0 if all passed, 2 on bad usage. args may start with
// "test"; flags and directories may be mixed:
//
//	simrun test [dirs] [-run REGEXP] [-seeds LIST] [-strategy S] [-failfast] [-json] [-race] [-translate PATTERNS]
//	            [-check-determinism] [-shard i/n] [-parallel N] [-out DIR] [-max-steps N] [-watchdog D] [-step-time D] [-v]
//	simrun test DIR -run '^TestX$' -seeds N -trace FILE
//	simrun test DIR -run '^TestX$' -seeds N -shrink [-out DIR]
//	simrun test DIR -replay FILE [-race] [-trace FILE] [-max-steps N] [-watchdog D] [-json] [-v]
//	simrun test DIR -explain
//	simrun test DIR -power -seeds 1-1000 [-run REGEXP] [-race]
//
// -explain translates and lists, without building, every call the schedule cannot see
// into (Escape): standard-library calls that block in the kernel or start goroutines
// (net, os/exec...), and calls into untranslated packages that lock or wait.
//
// With -race the tests are built with the race detector and a data race between
// goroutines fails the run (failure=race) with the detector's report. -translate names
// dependencies (import path patterns, comma-separated) to translate with the package,
// so that their goroutines and channels are scheduled too.
//
// A flag of simrun's scenario sweep that simrun test does not read (-trace, -shrink...),
// or one that -replay does not read, is a usage error, not silently ignored.
func Main(args []string, stdout, stderr io.Writer) int {
	return MainFor(ReplayPrefix, args, stdout, stderr)
}

// MainFor is Main for a program of its own (a main over sim/simcli): prefix starts the
// replay commands it prints, as "go run ./cmd/mysim test".
func MainFor(prefix string, args []string, stdout, stderr io.Writer) int {
	inv, code := parseArgs(args, stderr)
	if inv == nil {
		return code
	}
	inv.prefix = prefix
	root, err := Root()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	code = 0
	for _, dir := range inv.dirs {
		c, err := inv.runDir(context.Background(), dir, root, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "simrun test %s: %v\n", dir, err)
		}
		code = max(code, c)
	}
	return code
}

// invocation is simrun test's parsed command line.
type invocation struct {
	prefix   string // how replay commands start: "go run ./cmd/simrun test"
	dirs     []string
	run      *regexp.Regexp
	seeds    []uint64
	seedList string
	parallel int
	race     bool     // -race: build with the race detector
	explain  bool     // -explain: list the escape sites, build nothing
	power    bool     // -power: seeds to first failure per strategy over 20 ranges
	limits   []string // the step limit, watchdog and step time flags, for -power
	deps     []string // -translate: dependencies to translate too
	replay   bool     // -replay: one run of a decision file
	// pass are the flags every run of the test binary gets, -run and -seeds aside.
	pass []string
}

// sweepOnly are simrun's flags that simrun test does not read; each bool says whether
// the flag takes no value.
var sweepOnly = map[string]bool{
	"seed": false, "scenario": false, "canaries": true, "list": true, "jitter": false, "baton": false,
	"bug": false, "bugs": true, "real": true, "for": false, "param": false,
}

// unread is a flag that simrun test does not read: setting it is a usage error.
type unread struct {
	name   string
	isBool bool
	set    *string
}

func (u unread) String() string   { return "" }
func (u unread) IsBoolFlag() bool { return u.isBool }
func (u unread) Set(string) error {
	if *u.set == "" {
		*u.set = u.name
	}
	return nil
}

func parseArgs(args []string, stderr io.Writer) (*invocation, int) {
	if len(args) > 0 && args[0] == "test" {
		args = args[1:]
	}
	fs := flag.NewFlagSet("simrun test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f testFlags
	f.define(fs)
	inv := &invocation{}
	for {
		if err := fs.Parse(args); err != nil {
			return nil, 2
		}
		if fs.NArg() == 0 {
			break
		}
		inv.dirs = append(inv.dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(inv.dirs) == 0 {
		inv.dirs = []string{"."}
	}
	err := f.check(fs)
	if err == nil {
		inv.run, err = regexp.Compile(f.run)
	}
	if err == nil {
		inv.seeds, err = gort.ParseSeeds(f.seeds)
	}
	if err != nil {
		fmt.Fprintf(stderr, "simrun test: %v\n", err)
		return nil, 2
	}
	inv.parallel, inv.seedList, inv.race, inv.replay, inv.pass = f.parallel, f.seeds, f.race, f.replay != "", f.passed()
	inv.explain, inv.power, inv.limits = f.explain, f.power, f.limits()
	if inv.power {
		if err := powerSeeds(inv.seeds); err != nil {
			fmt.Fprintf(stderr, "simrun test: %v\n", err)
			return nil, 2
		}
	}
	if f.deps != "" {
		inv.deps = strings.Split(f.deps, ",")
	}
	return inv, 0
}

// testFlags are simrun test's flags as parsed.
type testFlags struct {
	run, seeds, strategy, shard, outDir, replay string
	deps, trace                                 string
	maxSteps                                    uint64
	watchdog, stepTime                          time.Duration
	failfast, verbose, json, checkDeterminism   bool
	shrink, power                               bool
	race, explain                               bool
	parallel                                    int
	unread                                      string // the first sweep-only flag given
}

func (f *testFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&f.run, "run", "", "run only the tests matching this regexp")
	fs.StringVar(&f.seeds, "seeds", "1-10", "seeds to run, as 1-100,200")
	fs.StringVar(&f.strategy, "strategy", "portfolio", "portfolio, random, sequential, pct, pctD, with +jitter")
	fs.BoolVar(&f.failfast, "failfast", false, "stop a test's seeds at its first failure")
	fs.Uint64Var(&f.maxSteps, "max-steps", 1_000_000, "step limit of a run")
	fs.DurationVar(&f.watchdog, "watchdog", 5*time.Second, "wall time a task may run without a scheduling point")
	fs.DurationVar(&f.stepTime, "step-time", gort.StepTime, "virtual time each scheduling step costs")
	fs.BoolVar(&f.verbose, "v", false, "print the tests' log lines")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per run instead of verdict lines")
	fs.BoolVar(&f.checkDeterminism, "check-determinism", false, "run each (test, seed) twice and compare the hashes")
	fs.BoolVar(&f.race, "race", false, "build with the race detector: a data race fails the run")
	fs.BoolVar(&f.explain, "explain", false, "list the calls the schedule cannot see into, and run nothing")
	fs.BoolVar(&f.shrink, "shrink", false, "minimise the one failing run selected (one test, one seed)")
	fs.BoolVar(&f.power, "power", false, "measure seeds to first failure per strategy over 20 ranges of the seeds")
	fs.StringVar(&f.deps, "translate", "", "dependencies to translate too: import path patterns, comma-separated (storj.io/drpc/...)")
	fs.StringVar(&f.shard, "shard", "1/1", "run only slice i of n of the (test, seed) pairs")
	fs.IntVar(&f.parallel, "parallel", 1, "test processes at once, over disjoint seed slices")
	fs.StringVar(&f.outDir, "out", "", "directory for failure bundles")
	fs.StringVar(&f.replay, "replay", "", "run a decision file of a failure bundle")
	fs.StringVar(&f.trace, "trace", "", "write the trace of the one run selected, or of -replay (.html, .json, else JSON lines)")
	for name, isBool := range sweepOnly {
		fs.Var(unread{name, isBool, &f.unread}, name, "not read by simrun test")
	}
}

// check fails on a flag that does nothing here and on a bad value.
func (f *testFlags) check(fs *flag.FlagSet) error {
	switch {
	case f.unread != "":
		return fmt.Errorf("-%s does nothing with simrun test: leave it out", f.unread)
	case f.replay != "":
		return replayFlags(fs)
	case f.parallel < 1:
		return fmt.Errorf("-parallel must be at least 1")
	case (f.trace != "" || f.shrink) && f.parallel > 1:
		return fmt.Errorf("-trace and -shrink take one run: leave out -parallel")
	case f.explain:
		return onlyFlags(fs, "-explain", "explain", "translate")
	case f.power:
		return onlyFlags(fs, "-power", "power", "seeds", "run", "translate", "race", "max-steps", "watchdog", "step-time")
	}
	if _, err := sim.ParseStrategy(f.strategy); err != nil {
		return err
	}
	_, _, err := gort.ParseShard(f.shard)
	return err
}

// limits are the step limit, watchdog and step time flags every run gets.
func (f *testFlags) limits() []string {
	return []string{"-max-steps", strconv.FormatUint(f.maxSteps, 10), "-watchdog", f.watchdog.String(),
		"-step-time", f.stepTime.String()}
}

// passed are the flags every run of the test binary gets, -run and -seeds aside.
func (f *testFlags) passed() []string {
	limits := f.limits()
	pass := append([]string{"-strategy", f.strategy, "-shard", f.shard}, limits...)
	if f.outDir != "" {
		pass = append(pass, "-out", f.outDir)
	}
	if f.replay != "" {
		pass = append([]string{"-replay", f.replay}, limits...)
	}
	if f.trace != "" {
		pass = append(pass, "-trace", f.trace)
	}
	for _, b := range []struct {
		set  bool
		name string
	}{{f.failfast, "-failfast"}, {f.verbose, "-v"}, {f.json, "-json"}, {f.checkDeterminism, "-check-determinism"}, {f.shrink, "-shrink"}} {
		if b.set {
			pass = append(pass, b.name)
		}
	}
	return pass
}

// runDir translates and builds one directory and runs its tests, returning the exit code
// (1 when it could not run).
func (inv *invocation) runDir(ctx context.Context, dir, root string, stdout, stderr io.Writer) (int, error) {
	p, err := Dir(dir, Options{Deps: inv.deps})
	if err != nil {
		return 1, fmt.Errorf("translation: %w", err)
	}
	if inv.explain {
		WriteEscapes(stdout, p.Escapes)
		return 0, nil
	}
	bin, err := Build(ctx, p, BuildOptions{Root: root, Race: inv.race})
	if err != nil {
		return 1, err
	}
	defer bin.Remove()
	replayCmd := inv.prefix + " " + gort.ShellQuote(dir)
	if inv.race {
		replayCmd += " -race"
	}
	if len(inv.deps) > 0 {
		replayCmd += " -translate " + gort.ShellQuote(strings.Join(inv.deps, ","))
	}
	base := append([]string{"-replay-cmd", replayCmd}, inv.pass...)
	if inv.replay {
		return runBinary(ctx, bin, base, stdout, stderr)
	}
	if inv.power {
		return inv.measurePower(ctx, bin, p.Tests, stdout), nil
	}
	if inv.parallel > 1 {
		return inv.runSlices(ctx, bin, p.Tests, base, stdout, stderr)
	}
	args := append(base, "-run", inv.run.String(), "-seeds", inv.seedList)
	return runBinary(ctx, bin, args, stdout, stderr)
}

// replayReads are the flags that -replay reads: the file names the test, the seed and the
// decisions.
var replayReads = []string{"replay", "race", "translate", "trace", "max-steps", "watchdog", "step-time", "json", "v"}

// replayFlags fails on a flag given with -replay that it does not read.
func replayFlags(fs *flag.FlagSet) error { return onlyFlags(fs, "-replay", replayReads...) }

// onlyFlags fails on a flag given with mode that is not one of names.
func onlyFlags(fs *flag.FlagSet, mode string, names ...string) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err == nil && !slices.Contains(names, f.Name) {
			err = fmt.Errorf("-%s does nothing with %s: leave it out", f.Name, mode)
		}
	})
	return err
}

// runBinary runs the test binary and returns its exit code.
func runBinary(ctx context.Context, bin *Binary, args []string, stdout, stderr io.Writer) (int, error) {
	cmd := bin.Command(ctx, args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() > 0 {
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 1, fmt.Errorf("running %s: %v", strings.Join(cmd.Args, " "), err)
	}
	return 0, nil
}
