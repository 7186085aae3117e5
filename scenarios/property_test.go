package scenarios

import (
	"encoding/binary"
	"flag"
	"github.com/muxsim/muxsim/internal/muxbugs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/muxsim/muxsim/sim/simrapid"
)

// TestProperty checks the engine against a sequential model of its streams, on
// workloads and schedules that rapid draws and shrinks together (DESIGN §10).
//
// Method: rapid draws a workload of up to propActionsMax actions on propSlots streams
// (open an RPC of each kind, send, receive, close the sending half, cancel, make the
// handler fail) and on the connection (close the client, break the transport). One task
// per stream performs its actions in order, a task of its own cancels its context, and
// the connection's task acts on the connection; simrapid draws every scheduling decision
// from rapid, so the streams interleave as the tape says. After the run, each stream's
// results must be what the model (model_test.go) allows: messages in order, exact error
// codes, sticky errors; the verdict must be clean (no deadlock, leak or panic); and a
// server whose connection lives on must hold no pending invoke.
//
// Why not rapid's t.Repeat: its actions run on the test goroutine, one at a time, and
// fail through t.Fatalf, whereas these actions must run inside the simulation, in
// several tasks at once, where t.Fatalf would kill a simulated goroutine. So the list
// is drawn first, the simulation runs once, and the check comes after.
//
// With -tags muxbugs, -bug=B1 (or any name muxbugs.All lists) switches a known bug on:
//
//	go test -tags muxbugs ./scenarios/ -run '^TestProperty$' -args -bug=B1
//
// It runs propChecks checks unless -rapid.checks (or RAPID_CHECKS) says otherwise.
func TestProperty(t *testing.T) {
	defer propBugOn(t)()
	defer propChecksDefault()()
	rapid.Check(t, property)
}

// propChecks is TestProperty's default number of checks. A check takes about a
// millisecond; rapid's default of 100 missed B1 for 12 of 30 rapid seeds and B6 for 4,
// while a thousand found B1, B3 and B6 for all 30 (the slowest after 344 checks), and
// take about a second when nothing fails.
const propChecks = 1000

// propChecksDefault sets -rapid.checks to propChecks unless it was given, and returns
// the function that restores it.
func propChecksDefault() func() {
	given := os.Getenv("RAPID_CHECKS") != ""
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "rapid.checks" })
	if given {
		return func() {}
	}
	old := flag.Lookup("rapid.checks").Value.String()
	_ = flag.Set("rapid.checks", strconv.Itoa(propChecks))
	return func() { _ = flag.Set("rapid.checks", old) }
}

// FuzzProperty is TestProperty for go test -fuzz: the fuzzer's bytes are rapid's input
// (eight bytes per word, little-endian). The regression failfiles seed its corpus, and
// -bug applies. Keep minimization short: a run takes a millisecond, and the default
// minute per new input leaves little time for fuzzing.
//
//	go test ./scenarios/ -run '^$' -fuzz '^FuzzProperty$' -fuzztime 60s -fuzzminimizetime 1s
func FuzzProperty(f *testing.F) {
	defer propBugOn(f)()
	for _, file := range propRegressions(f) {
		f.Add(file.input)
	}
	f.Fuzz(rapid.MakeFuzz(property))
}

// TestPropertyRegressions replays the failfiles under testdata/rapid/TestPropertyRegressions,
// each a shrunk counterexample rapid wrote when a known bug was switched on (its name
// says which): on the fixed engine, the property must hold for the same draws. With the
// bug switched back on, its file fails again:
//
//	go test -tags muxbugs ./scenarios/ -run '^TestPropertyRegressions$/^B1$' -args -bug=B1
//
// To replay one through TestProperty instead, with rapid's output:
//
//	go test ./scenarios/ -run '^TestProperty$' -rapid.failfile=testdata/rapid/TestPropertyRegressions/B1.fail
func TestPropertyRegressions(t *testing.T) {
	defer propBugOn(t)()
	files := propRegressions(t)
	if len(files) == 0 {
		t.Fatal("no failfiles under testdata/rapid/TestPropertyRegressions")
	}
	for _, file := range files {
		ran, replayed := false, false
		passed := t.Run(file.name, func(t *testing.T) {
			ran = true
			rapid.MakeFuzz(property)(t, file.input)
			replayed = true // not reached if the replay failed or skipped (invalid input)
		})
		if ran && passed && !replayed {
			t.Errorf("%s no longer replays (rapid skipped it as invalid input): go test ./scenarios/ -run '^TestPropertyRegressions$/^%s$' -v", file.name, file.name)
		}
	}
}

// propFile is a failfile as fuzz input: rapid's words, little-endian.
type propFile struct {
	name  string
	input []byte
}

// propRegressions reads the regression failfiles: comment lines (#), the "version#seed"
// line, then one word per line.
func propRegressions(tb testing.TB) []propFile {
	paths, err := filepath.Glob(filepath.Join("testdata", "rapid", "TestPropertyRegressions", "*.fail"))
	if err != nil {
		tb.Fatal(err)
	}
	var files []propFile
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		f := propFile{name: strings.TrimSuffix(filepath.Base(path), ".fail")}
		header := true
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if header { // "v0.4.8#<seed>"
				header = false
				continue
			}
			u, err := strconv.ParseUint(line, 0, 64)
			if err != nil {
				tb.Fatalf("%s: %v", path, err)
			}
			f.input = binary.LittleEndian.AppendUint64(f.input, u)
		}
		files = append(files, f)
	}
	return files
}

var propBug = flag.String("bug", "", "a known mux bug to switch on in TestProperty, TestPropertyRegressions and FuzzProperty (B1, B3, B6, ...; needs -tags muxbugs)")

// propBugOn switches -bug's bug on, and returns the function that switches it off.
func propBugOn(t testing.TB) func() {
	if *propBug == "" {
		return func() {}
	}
	if err := muxbugs.Enable(*propBug); err != nil {
		t.Fatal(err)
	}
	return func() { _ = muxbugs.Enable("none") }
}

// property is the property TestProperty and FuzzProperty share.
func property(t *rapid.T) {
	w := workloadGen().Draw(t, "workload")
	run := &propRun{w: w}
	v, tape := simrapid.Run(t, simrapid.Options{}, run.body)
	simrapid.Check(t, v, tape)
	for i := range run.slots {
		if err := checkSlot(&run.slots[i], run.conn); err != nil {
			t.Fatalf("slot %d: %v\n%s", i, err, run.report(tape))
		}
	}
	if run.pending > 0 {
		t.Fatalf("the server holds %d pending invokes after every call ended\n%s", run.pending, run.report(tape))
	}
}
