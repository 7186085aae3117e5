package sim

import (
	"context"
	"testing"

	"github.com/muxsim/muxsim/scheduler"
)

// The happens-before tests hand data between tasks through a primitive and touch it on
// both sides without any other synchronisation. Under go test -race with the channel
// baton (each task on its own goroutine, the handoffs hidden from the detector) a
// missing edge is a data race report, which fails the test; without -race they only
// check the values.

// underChanBaton runs body for seeds 1-20 with the race-preserving baton.
func underChanBaton(t *testing.T, body func(rt *Runtime)) {
	t.Helper()
	for seed := uint64(1); seed <= 20; seed++ {
		o := Options{}
		o.Seed, o.Baton = seed, scheduler.BatonChannel
		if v := Run(o, body); !v.OK() {
			t.Fatalf("seed %d: %s", seed, v.Report())
		}
	}
}

type payload struct{ a, b int }

func TestChanHandsOffOwnership(t *testing.T) {
	underChanBaton(t, func(rt *Runtime) {
		unbuf, buf := NewChan[*payload](rt, "unbuffered", 0), NewChan[*payload](rt, "buffered", 1)
		sel := NewChan[*payload](rt, "select", 0)
		back := 0 // written by the receiver before its receive, read by the sender after
		g := rt.NewGroup("g")
		g.Go("receiver", func() {
			p := unbuf.Recv()
			p.a++ // the sender wrote it before the send
			for range 3 {
				q := buf.Recv()
				q.b++
			}
			back = 1
			var r *payload
			_, _ = rt.Select(context.Background(), sel.RecvCase(&r))
			r.a++
		})
		p := &payload{a: 1}
		unbuf.Send(p)
		for range 3 {
			// The kth receive happens before the (k+1)th send completes (capacity 1): each
			// payload is fresh, but the receiver's writes to the last one are ordered too.
			buf.Send(&payload{b: 1})
		}
		r := &payload{a: 5}
		_, _ = rt.Select(context.Background(), sel.SendCase(r))
		rt.Always(back == 1, "the receiver's write before an unbuffered receive is visible after the send")
		g.Wait()
		rt.Always(p.a == 2 && r.a == 6, "the receiver's writes are visible after Wait")
	})
}

func TestChanCloseHappensBeforeZeroReceive(t *testing.T) {
	underChanBaton(t, func(rt *Runtime) {
		ch := NewChan[int](rt, "c", 1)
		data := 0
		g := rt.NewGroup("g")
		g.Go("closer", func() {
			data = 42
			ch.Close()
		})
		if _, ok := ch.Recv2(); !ok {
			rt.Always(data == 42, "close happens before the receive it ends")
		}
		g.Wait()
	})
}
