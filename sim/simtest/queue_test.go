package simtest_test

import (
	"testing"

	"github.com/muxsim/muxsim/sim/simtest"
)

// TestExample: the test ExampleCheck shows passes, its Sometimes site included. (The
// example's own file holds no test, so that it is shown whole.)
func TestExample(t *testing.T) {
	simtest.Check(t, simtest.Options{RequireSometimes: true}, producersAndConsumer)
}
