package scenarios

import (
	"context"
	"fmt"
	"time"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

func init() {
	register(&Scenario{
		Name: "mux-faults-heal",
		Doc: "The mixed workload of mux-faults with a liveness phase, as TigerBeetle's VOPR has: " +
			"at a seeded moment the run heals and faults stop. Before the heal a call may fail as in " +
			"mux-faults, and a caller whose connection died dials a fresh one; a call that starts " +
			"after the heal must succeed within three attempts, never fails on a connection dialed " +
			"after the heal, and every task must exit within 5s of virtual time of the heal.",
		Params: mixedParams,
		Body:   muxFaultsHeal,
	})
}

// The liveness phase's limits.
const (
	// healBound is how long after the heal the run may take to end: far more than the
	// workload needs on a clean link (milliseconds), far less than a hang.
	healBound = 5 * time.Second
	// healDelayMax bounds the seeded moment of the heal: about the length of the fault
	// phase, so that seeds heal before, during and after its calls.
	healDelayMax = 60 * time.Millisecond
	// healAttemptsMax bounds the attempts of a call that starts after the heal: one on a
	// connection dialed before the heal, which a fault drawn before it may still break
	// (a pending peer close), and one on a fresh connection, plus one to spare.
	healAttemptsMax = 3
)

func muxFaultsHeal(rt *sim.Runtime) {
	callers, rounds := rt.Param("callers"), rt.Param("rounds")
	p := newHealPool(rt, simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{}), 1+2*callers*rounds*healAttemptsMax)
	healed := rt.NewEvent("healed")
	work := rt.NewGroup("callers")
	oks, retried := make([]int, callers), make([]bool, callers)
	for i := range callers {
		kinds := rt.Rand(fmt.Sprintf("caller-%d", i))
		work.Go(fmt.Sprintf("caller-%d", i), func() {
			for r := range 2 * rounds {
				if r == rounds { // the second half of the calls starts after the heal
					_ = rt.Wait(context.Background(), healed)
				}
				ok, attempts := p.call(fmt.Sprintf("%d.%d", i, r), kinds.IntN(4))
				if ok {
					oks[i]++
				}
				retried[i] = retried[i] || attempts > 1 && rt.Healed()
			}
		})
	}
	_ = rt.Sleep(context.Background(), sim.Micros(rt.Rand("heal").IntN(int(healDelayMax/time.Microsecond))))
	rt.Heal(healBound)
	healed.Fire()
	work.Wait()
	ok := 0
	for i := range callers {
		ok += oks[i]
		rt.Sometimes(retried[i], "a call after the heal retried on a fresh connection")
	}
	rt.Always(ok >= callers*rounds, fmt.Sprintf("only %d of %d calls succeeded, though half started after the heal", ok, 2*callers*rounds))
	rt.Sometimes(p.dials > 1, "a caller dialed a fresh connection")
	p.close()
}

// healPool is the callers' connection: one at a time, replaced by a fresh one when it
// dies. Every connection's server runs in the pool's serving group.
type healPool struct {
	rt       *sim.Runtime
	mu       *sim.Mutex
	plan     simnet.Plan
	opts     mux.Options
	server   *mux.Server
	serving  *sim.Group
	clients  []*mux.Client // every client dialed, the current one last
	fresh    bool          // the current client was dialed after the heal
	dials    int
	dialsMax int
}

func newHealPool(rt *sim.Runtime, plan simnet.Plan, dialsMax int) *healPool {
	opts := mux.Options{Runtime: rt}
	p := &healPool{rt: rt, mu: rt.NewMutex("heal pool"), plan: plan, opts: opts,
		server: mux.NewServer(muxService(rt), opts), serving: rt.NewGroup("server"), dialsMax: dialsMax}
	p.mu.Lock()
	p.dial()
	p.mu.Unlock()
	return p
}

// dial replaces the current connection by a new one; the caller holds the lock.
func (p *healPool) dial() {
	p.rt.Always(p.dials < p.dialsMax, fmt.Sprintf("the pool dialed %d connections, its maximum", p.dials))
	name := fmt.Sprintf("conn%d", p.dials)
	p.dials++
	cli, srv := simnet.Pipe(p.rt, name, p.plan)
	p.serving.Go("serve "+name, func() { _ = p.server.ServeOne(context.Background(), srv) })
	p.clients = append(p.clients, mux.NewClient(cli, p.opts))
	p.fresh = p.rt.Healed()
}

// current returns the current client and whether it was dialed after the heal.
func (p *healPool) current() (*mux.Client, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.clients[len(p.clients)-1], p.fresh
}

// failed tells the pool that a call on c failed: if c's connection has died and c is
// still the current client, the pool dials a fresh one.
func (p *healPool) failed(c *mux.Client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c == p.clients[len(p.clients)-1] && c.Err() != nil {
		p.dial()
	}
}

// call makes one call of the given kind and reports whether it succeeded, and after how
// many attempts. A call that starts before the heal has one attempt, which may fail as
// in mux-faults; one that starts after it retries until it succeeds, and must within
// healAttemptsMax attempts.
func (p *healPool) call(tag string, kind int) (ok bool, attempts int) {
	afterHeal := p.rt.Healed()
	for attempts = 1; ; attempts++ {
		c, fresh := p.current()
		err := muxCall(p.rt, c, kind, tag, context.Background())
		if err == nil {
			return true, attempts
		}
		p.rt.Always(expectedFailure(err), fmt.Sprintf("call %s failed with an unexpected error: %v (code %v)", tag, err, mux.CodeOf(err)))
		p.rt.Always(!fresh, fmt.Sprintf("call %s failed on a connection dialed after the heal: %v", tag, err))
		p.failed(c)
		if !afterHeal {
			return false, attempts
		}
		p.rt.Always(attempts < healAttemptsMax, fmt.Sprintf("call %s, started after the heal, failed %d times, the last with %v", tag, attempts, err))
	}
}

// close closes every client and waits for every server to end.
func (p *healPool) close() {
	p.mu.Lock()
	clients := p.clients
	p.mu.Unlock()
	for _, c := range clients {
		c.Close()
	}
	p.serving.Wait()
}
