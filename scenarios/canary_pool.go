package scenarios

import (
	"context"
	"fmt"
	"time"

	"github.com/muxsim/muxsim/sim"
)

// The pool canary is the shape a user found exact virtual time hiding: a connection
// pool whose evictor closes idle connections in zero time, so its check-then-act window
// lies at one instant that no client, whose steps all take fixed durations, ever
// reaches. Only the time perturbation (scheduler/jitter.go) makes the instants meet.
func init() {
	register(&Scenario{
		Name:   "canary-pool-evict",
		Canary: true,
		Doc: "A connection pool's evictor ticks every millisecond, picks the idle connections " +
			"under the pool's lock, releases it, and then closes them in zero time; a client that " +
			"takes one of them in between uses a closed connection. Clients dial in 100 µs, use a " +
			"connection for 300 µs and think for 200 µs, so at exact virtual time none is ever " +
			"runnable at a tick: no schedule reaches the window, and only the time perturbation " +
			"(strategies +jitter) finds the race.",
		Params: []Param{
			{Name: "clients", Doc: "clients sharing the pool", Default: 3, Min: 1},
			{Name: "ops", Doc: "operations per client", Default: 20, Min: 1},
			{Name: "close-us", Doc: "how long the evictor's close takes, in µs (0: the race window has no width)", Default: 0, Min: 0},
		},
		Body: poolEvict,
	})
}

// The pool's fixed durations. The clients' are multiples of 100 µs and the evictor's ticks
// fall at 1050 µs + k ms, so at exact time a tick never meets a client's step.
const (
	poolTick      = time.Millisecond
	poolTickStart = 50 * time.Microsecond // the evictor starts after the clients
	poolDial      = 100 * time.Microsecond
	poolUse       = 300 * time.Microsecond
	poolThink     = 200 * time.Microsecond
	poolIdleMax   = 150 * time.Microsecond // idle this long, a connection is evicted
)

// poolConn is one pooled connection.
type poolConn struct {
	id       int
	busy     bool          // a client is using it
	closed   bool          // the evictor closed it
	lastUsed time.Duration // virtual time its last use ended
}

func poolEvict(rt *sim.Runtime) {
	clients, ops := rt.Param("clients"), rt.Param("ops")
	closeTime := time.Duration(rt.Param("close-us")) * time.Microsecond
	mu := rt.NewMutex("pool")
	conns := make([]*poolConn, clients) // each client's pooled connection, nil until dialled
	dialled := 0
	now := func() time.Duration { return rt.Now().Sub(sim.Epoch) }
	stop := rt.NewEvent("stop")

	evictor := rt.NewGroup("evictor")
	evictor.Go("evictor", func() {
		ctx := context.Background()
		_ = rt.Sleep(ctx, poolTickStart)
		for {
			t := rt.NewTimer(poolTick)
			if i, _ := rt.Select(ctx, t.C(), stop); i == 1 {
				t.Stop()
				return
			}
			// Check: pick the idle connections under the lock.
			mu.Lock()
			var victims []*poolConn
			for _, c := range conns {
				if c != nil && !c.busy && !c.closed && now()-c.lastUsed >= poolIdleMax {
					victims = append(victims, c)
				}
			}
			mu.Unlock()
			// Act, without the lock and without checking again: the planted bug. A client
			// can take a victim between the unlock and the close.
			if closeTime > 0 {
				_ = rt.Sleep(ctx, closeTime)
			}
			mu.Lock()
			for _, c := range victims {
				c.closed = true
			}
			mu.Unlock()
		}
	})

	wg := rt.NewGroup("clients")
	for i := range clients {
		wg.Go(fmt.Sprintf("client-%d", i), func() {
			ctx := context.Background()
			for range ops {
				mu.Lock()
				c := conns[i]
				if c == nil || c.closed {
					mu.Unlock()
					_ = rt.Sleep(ctx, poolDial)
					mu.Lock()
					dialled++
					c = &poolConn{id: dialled}
					conns[i] = c
				}
				c.busy = true
				mu.Unlock()
				_ = rt.Sleep(ctx, poolUse)
				mu.Lock()
				rt.Always(!c.closed, fmt.Sprintf("client-%d used connection %d after the evictor closed it", i, c.id))
				c.busy = false
				c.lastUsed = now()
				mu.Unlock()
				_ = rt.Sleep(ctx, poolThink)
			}
		})
	}
	wg.Wait()
	stop.Fire()
	evictor.Wait()
}
