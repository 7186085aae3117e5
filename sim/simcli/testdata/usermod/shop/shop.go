// Package shop is a user's own code under muxsim: a shop that sells from a stock, with
// a planted check-then-act race, and the scenario that finds it. It imports muxsim's
// runtime and catalogue, not its engine.
package shop

import (
	"fmt"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/sim/catalog"
)

// Shop sells items from a stock.
type Shop struct {
	mu          *sim.Mutex
	stock, sold int
}

// Buy sells one item if any is left. The planted bug: the check and the sale are two
// critical sections, so two buyers can both see the last item and both take it.
func (s *Shop) Buy() bool {
	s.mu.Lock()
	left := s.stock > 0
	s.mu.Unlock()
	if !left {
		return false
	}
	s.mu.Lock()
	s.stock--
	s.sold++
	s.mu.Unlock()
	return true
}

// Catalog is this module's scenarios, what cmd/mysim runs.
var Catalog = catalog.New()

func init() {
	Catalog.Add(&catalog.Scenario{
		Name: "shop-oversell",
		Doc:  "Buyers race for a small stock; the shop must never sell more than it has.",
		Params: []catalog.Param{
			{Name: "buyers", Doc: "concurrent buyers", Default: 3, Min: 2},
			{Name: "stock", Doc: "items in stock", Default: 2, Min: 1},
		},
		Body: func(rt *sim.Runtime) {
			stock := rt.Param("stock")
			s := &Shop{mu: rt.NewMutex("shop"), stock: stock}
			g := rt.NewGroup("buyers")
			for i := range rt.Param("buyers") {
				g.Go(fmt.Sprintf("buyer-%d", i), func() { s.Buy() })
			}
			g.Wait()
			rt.Always(s.sold <= stock, fmt.Sprintf("sold %d of a stock of %d", s.sold, stock))
		},
	})
}
