// A package inside this module, importing another of its packages: built through the go
// command's -overlay.
package inmodule

import (
	"testing"

	"github.com/muxsim/muxsim/sim"
)

func TestInModule(t *testing.T) {
	ch := make(chan int)
	go func() { ch <- int(sim.Micros(3).Microseconds()) }()
	<-ch
}
