package simvet_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/muxsim/muxsim/sim/simvet"
)

// TestAnalyzer checks every rule and directive against the testdata packages, whose
// "// want" comments list exactly the findings expected:
//   - bad breaks each rule once, and must be reported everywhere but in its test and
//     generated files;
//   - unmarked breaks the rules without opting in, and must not be reported;
//   - misspelt opts in with a typo: only the typo is reported;
//   - allowed keeps to the rules or allows reviewed exceptions: nothing is reported;
//   - directives gets its directives wrong: each mistake is reported.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), simvet.Analyzer,
		"bad", "unmarked", "misspelt", "allowed", "directives")
}
