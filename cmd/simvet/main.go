/*
Simvet checks that code meant to run under the deterministic simulator uses the sim
runtime and nothing that steps around it: no bare go statements, select, sync or
sync/atomic, wall-clock time, global or crypto random, unsorted map iteration,
runtime.Gosched, or %p in format strings. It is a vet tool: go vet builds and
type-checks the packages and simvet analyses them.

Install and run it from the module root:

	go install github.com/muxsim/muxsim/cmd/simvet
	go vet -vettool=$(which simvet) ./...

or without installing:

	go build -o /tmp/simvet github.com/muxsim/muxsim/cmd/simvet && go vet -vettool=/tmp/simvet ./...

Findings print as file:line:col: simvet(RULE): message, and go vet exits non-zero if
there are any. The rules are go, select, sync, time, rand, maprange, gosched and
printfp; "simvet help simvet" prints them, and the documentation of package
github.com/muxsim/muxsim/sim/simvet explains each.

Only packages that opt in are checked. A package opts in with the directive

	//simvet:simulated

in a comment of any non-test file, by convention in doc.go on its own line after the
package clause, separated from it by a blank line. Test and generated files are never
checked. A reviewed exception is the directive

	//simvet:allow RULE reason in words

on the line of the finding or on the line just above it. An allow without a reason, with
an unknown rule, or that suppresses nothing is itself reported.
*/
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/muxsim/muxsim/sim/simvet"
)

func main() {
	unitchecker.Main(simvet.Analyzer)
}
