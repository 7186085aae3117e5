package sim

import "testing"

// Happens-before tests of the primitives other than Chan (see chan_race_test.go for the
// method): under go test -race a missing edge fails them with a race report.

// TestEventFiredHappensBefore polls Fired instead of waiting: seeing the event fired
// must order what the firing task wrote before Fire.
func TestEventFiredHappensBefore(t *testing.T) {
	underChanBaton(t, func(rt *Runtime) {
		ev := rt.NewEvent("ready")
		data := 0
		g := rt.NewGroup("g")
		g.Go("firer", func() {
			data = 42
			ev.Fire()
		})
		for !ev.Fired() {
			rt.Yield()
		}
		rt.Always(data == 42, "the write before Fire is visible once Fired is true")
		g.Wait()
	})
}

// TestRandSharedByTasks draws from one named stream in several tasks: the streams a run
// keeps by name must not make the tasks' calls of Rand a race.
func TestRandSharedByTasks(t *testing.T) {
	underChanBaton(t, func(rt *Runtime) {
		g := rt.NewGroup("g")
		for i := range 4 {
			g.Go("drawer", func() {
				rt.Rand(string(rune('a' + i))).IntN(3)
				rt.Yield()
				rt.Rand("shared").IntN(2)
			})
		}
		g.Wait()
	})
}
