package scenarios

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// The demos exercise every primitive of the runtime with correct code: they are the
// default catalogue until the engine's scenarios arrive, and they must pass for every seed.
func init() {
	register(
		&Scenario{
			Name: "counter-mutex",
			Doc: "The unsynchronised-counter canary with the runtime's mutex around each increment: " +
				"the race detector must stay quiet and no update may be lost.",
			Body: func(rt *sim.Runtime) { counter(rt, true) },
		},
		&Scenario{
			Name: "pipeline",
			Doc: "Two producers feed a bounded queue drained by two consumers, with seeded delays " +
				"between items. Every item is delivered exactly once, in order per producer, and " +
				"the queue never exceeds its bound.",
			Body: pipeline,
		},
		&Scenario{
			Name: "deadline-race",
			Doc: "Calls with a virtual deadline race a responder with a seeded delay. Each call ends " +
				"exactly once, with the response or with DeadlineExceeded (also seen by a child " +
				"context), never both and never neither.",
			Body: deadlineRace,
		},
		&Scenario{
			Name: "ping-pong",
			Doc: "Two tasks exchange messages through Notify wakeups and a shared slot, selecting on " +
				"a cancellable context; cancelling ends both cleanly.",
			Body: pingPong,
		},
	)
}

func pipeline(rt *sim.Runtime) {
	const (
		producers = 2
		perProd   = 20
		bound     = 3
	)
	mu := rt.NewMutex("queue")
	notEmpty, notFull := rt.NewCond(mu), rt.NewCond(mu)
	var queue [][2]int
	closed := false
	delay := rt.Rand("delay")
	delays := make([][]time.Duration, producers)
	for p := range producers {
		for range perProd {
			delays[p] = append(delays[p], time.Duration(delay.IntN(5))*time.Millisecond)
		}
	}
	prod := rt.NewGroup("producers")
	for p := range producers {
		prod.Go(fmt.Sprintf("producer-%d", p), func() {
			for i := range perProd {
				if err := rt.Sleep(context.Background(), delays[p][i]); err != nil {
					rt.Fail("sleep: " + err.Error())
				}
				mu.Lock()
				for len(queue) == bound {
					notFull.Wait()
				}
				queue = append(queue, [2]int{p, i})
				rt.Always(len(queue) <= bound, "queue over its bound")
				rt.Sometimes(len(queue) == bound, "pipeline queue reached its bound")
				notEmpty.Signal()
				mu.Unlock()
			}
		})
	}
	next := make([]int, producers)
	got := 0
	cons := rt.NewGroup("consumers")
	for c := range 2 {
		work := rt.Rand(fmt.Sprintf("consumer-%d", c))
		cons.Go(fmt.Sprintf("consumer-%d", c), func() {
			for {
				// Slow consumers let the queue fill up to its bound.
				if err := rt.Sleep(context.Background(), time.Duration(work.IntN(8))*time.Millisecond); err != nil {
					rt.Fail("sleep: " + err.Error())
				}
				mu.Lock()
				for len(queue) == 0 && !closed {
					notEmpty.Wait()
				}
				if len(queue) == 0 {
					mu.Unlock()
					return
				}
				item := queue[0]
				queue = queue[1:]
				rt.Always(item[1] == next[item[0]], fmt.Sprintf("producer %d: got item %d, want %d", item[0], item[1], next[item[0]]))
				next[item[0]]++
				got++
				notFull.Signal()
				mu.Unlock()
			}
		})
	}
	prod.Wait()
	mu.Lock()
	closed = true
	notEmpty.Broadcast()
	mu.Unlock()
	cons.Wait()
	rt.Always(got == producers*perProd, fmt.Sprintf("delivered %d items, want %d", got, producers*perProd))
}

func deadlineRace(rt *sim.Runtime) {
	const calls = 4
	r := rt.Rand("latency")
	g := rt.NewGroup("calls")
	for i := range calls {
		latency := time.Duration(r.IntN(20)) * time.Millisecond
		g.Go(fmt.Sprintf("call-%d", i), func() {
			const deadline = 10 * time.Millisecond
			ctx, cancel := rt.WithTimeout(context.Background(), deadline)
			defer cancel()
			child, cancelChild := context.WithCancel(ctx)
			defer cancelChild()
			reply := rt.NewEvent("reply")
			rt.Go(fmt.Sprintf("responder-%d", i), func() {
				_ = rt.Sleep(context.Background(), latency)
				reply.Fire()
			})
			err := rt.Wait(child, reply)
			// At exact time the shorter of latency and deadline wins (either on a tie).
			// A perturbed run may fire each timer up to a quarter of its duration late
			// (sim's package doc), so the other may win within that bound, never beyond.
			switch {
			case err == nil:
				rt.Always(latency <= deadline+deadline/4, fmt.Sprintf("reply after %v beat a %v deadline", latency, deadline))
			case errors.Is(err, context.DeadlineExceeded):
				rt.Always(latency+latency/4 >= deadline, fmt.Sprintf("deadline hit though the reply took %v", latency))
				rt.Always(errors.Is(ctx.Err(), context.DeadlineExceeded), "parent context not DeadlineExceeded")
			default:
				rt.Fail(fmt.Sprintf("call ended with %v", err))
			}
			rt.Sometimes(err != nil, "a call hit its deadline")
			rt.Sometimes(err == nil, "a call got its reply")
			// The responder is awaited through its event, so nothing outlives the call.
			_ = rt.Wait(context.Background(), reply)
		})
	}
	g.Wait()
}

func pingPong(rt *sim.Runtime) {
	const rounds = 10
	ctx, cancel := context.WithCancel(context.Background())
	ping, pong := rt.NewNotify("ping"), rt.NewNotify("pong")
	slot, seen := 0, 0
	g := rt.NewGroup("players")
	g.Go("pinger", func() {
		for i := 1; i <= rounds; i++ {
			slot = i
			ping.Notify()
			if err := rt.Wait(ctx, pong); err != nil {
				rt.Fail("pinger: " + err.Error())
			}
			rt.Always(seen == i, fmt.Sprintf("pong %d answered ping %d", seen, i))
		}
		cancel()
	})
	g.Go("ponger", func() {
		for {
			if _, err := rt.Select(ctx, ping); err != nil {
				rt.Always(errors.Is(err, context.Canceled), "ponger ended with "+err.Error())
				return
			}
			seen = slot
			pong.Notify()
		}
	})
	g.Wait()
	rt.Always(seen == rounds, fmt.Sprintf("%d rounds, want %d", seen, rounds))
}
