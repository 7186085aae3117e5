package main

import (
	_ "embed"
	"github.com/muxsim/muxsim/internal/muxbugs"
	"os"
	"strings"

	"github.com/muxsim/muxsim/scenarios"
	"github.com/muxsim/muxsim/sim/simcli"
)

//go:embed doc.go
var docSource string

func main() {
	os.Exit(simcli.Main(config()))
}

// config is simrun: muxsim's catalogue, this package's doc, and mux's known bugs.
func config() simcli.Config {
	return simcli.Config{Catalog: scenarios.Catalog(), Name: "simrun", Package: "./cmd/simrun", Doc: doc(), Bugs: bugs()}
}

// doc is the package doc of doc.go, without the comment markers.
func doc() string {
	start, end := strings.Index(docSource, "/*"), strings.Index(docSource, "*/")
	if start < 0 || end < start {
		return "Simrun runs muxsim's scenarios under the deterministic simulator."
	}
	return strings.TrimSpace(docSource[start+2 : end])
}

// bugTargets names, for each known bug, the scenario that hunts it under simulation and
// the stress-style scenario that tries it on real goroutines over TCP (the simulated one
// when it can run for real; faults that only simnet injects have no real counterpart).
var bugTargets = map[string]struct{ sim, real string }{
	"B1":       {"mux-cancel", "mux-cancel"},
	"B2":       {"mux-faults", "mux-transport-close"},
	"B3":       {"mux-cancel", "mux-cancel"},
	"B4-slot":  {"mux-slow-consumer", "mux-slow-consumer"},
	"B4-alias": {"mux-slow-consumer", "mux-slow-consumer"},
	"B6":       {"mux-mixed", "mux-mixed"},
	"B7":       {"mux-mixed", "mux-mixed"},
	"B8":       {"mux-faults", "mux-shutdown-active"},
	"B9":       {"mux-cancel-backpressure", "mux-cancel-backpressure"},
	"B12":      {"mux-drain", "mux-drain"},
}

// bugs is mux's known-bug switch, compiled in by -tags muxbugs.
func bugs() *simcli.Bugs {
	b := &simcli.Bugs{Compiled: muxbugs.Compiled, Tags: "muxbugs", Enable: muxbugs.Enable}
	for _, info := range muxbugs.All() {
		t := bugTargets[info.Name]
		b.List = append(b.List, simcli.Bug{Name: info.Name, Doc: info.Doc, Scenario: t.sim, Real: t.real})
	}
	return b
}
