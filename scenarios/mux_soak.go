package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

func init() {
	register(&Scenario{
		Name: "mux-soak", Real: true,
		Doc: "Client connections to one server make every kind of call, with deadlines and " +
			"cancels at seeded moments and seeded gaps between calls, over links with the full " +
			"fault profile; a client whose connection dies dials a new one. Every result is exact; " +
			"every failure is Unavailable, io.EOF from a stream, the failing handler's " +
			"InvalidArgument or the call's own cancel or deadline; at the end the server holds no " +
			"stream or connection and no task is left. The catalogue runs a small size, one " +
			"virtual minute (about 70 calls over 2 connections) or a quarter second of real TCP, " +
			"cheap enough for every seed of every sweep; the full size, one virtual hour (about " +
			"4,000 calls over 4 connections), is TestSoakMemory's, which samples the heap, and " +
			"TestSoakReal runs the workload over real TCP for 20 s.",
		Body: func(rt *sim.Runtime) { muxSoak(rt, soakSmall(rt)) },
	})
}

// soakSize is the shape of a soak run. Under simulation span and the gaps are virtual
// time, under the real runtime wall time.
type soakSize struct {
	clients int           // client connections, each redialled when it dies
	callers int           // callers sharing each connection
	span    time.Duration // how long the callers keep starting calls
	gapMin  time.Duration // the least a caller waits before each call
	gapMax  time.Duration // the most a caller waits before each call
	samples int           // checkpoints, evenly over span
	// checkpoint, when set (by a test), runs at checkpoint 0 (the start) and at each of
	// checkpoints 1..samples. It must not touch the runtime: the checkpoints are timed by a
	// task that runs whether or not checkpoint is set, so that setting it cannot change
	// the schedule or the trace hash.
	checkpoint func(i int)
}

// soakSmall is the catalogue's size: cheap enough for every seed of every sweep.
func soakSmall(rt *sim.Runtime) soakSize {
	if !rt.Simulated() {
		return soakSize{clients: 2, callers: 2, span: 250 * time.Millisecond,
			gapMin: time.Millisecond, gapMax: 4 * time.Millisecond, samples: 10}
	}
	return soakSize{clients: 2, callers: 2, span: time.Minute,
		gapMin: 2 * time.Second, gapMax: 5 * time.Second, samples: 10}
}

// soakFull is the soak tests' simulated size: one virtual hour, about 4,000 calls.
func soakFull() soakSize {
	return soakSize{clients: 4, callers: 2, span: time.Hour,
		gapMin: 4 * time.Second, gapMax: 10 * time.Second, samples: 100}
}

// soakRealSize is the real soak's size: about one call per 2.5 ms per caller for span.
func soakRealSize(span time.Duration) soakSize {
	return soakSize{clients: 4, callers: 2, span: span,
		gapMin: time.Millisecond, gapMax: 4 * time.Millisecond, samples: 100}
}

// Limits of the soak's clean-up: how often and how many times it checks that the server
// has let go of every stream and connection.
const (
	soakSettleGap = 10 * time.Millisecond
	soakSettleMax = 500
	soakPlanDraws = 16 // see soakPlan
)

// soakTally counts what a soak did; each caller keeps its own, summed at the end.
type soakTally struct {
	calls, ok, rejected        int // rejected: the failing handler's InvalidArgument
	unavailable, eof, canceled int // canceled: Canceled or DeadlineExceeded
	dials                      int // connections dialled, the first ones included
}

func (t *soakTally) add(u soakTally) {
	t.calls += u.calls
	t.ok += u.ok
	t.rejected += u.rejected
	t.unavailable += u.unavailable
	t.eof += u.eof
	t.canceled += u.canceled
	t.dials += u.dials
}

// muxSoak runs the soak at the given size and returns its tally.
func muxSoak(rt *sim.Runtime, size soakSize) soakTally {
	serveCtx, stopServing := context.WithCancel(context.Background())
	srv := &soakServer{Server: mux.NewServer(muxService(rt), mux.Options{Runtime: rt}), ctx: serveCtx,
		serving: rt.NewGroup("soak server"), buffer: simnet.RandomPlan(rt.Rand("soak-buffer"), simnet.Profile{}).Buffer}
	conns := make([]*soakConn, size.clients)
	for i := range conns {
		conns[i] = &soakConn{rt: rt, id: i, srv: srv, mu: rt.NewMutex(fmt.Sprint("soak conn ", i)),
			plans: rt.Rand(fmt.Sprint("soak-plan-", i))}
	}
	clock := rt.NewGroup("soak clock")
	clock.Go("soak checkpoints", func() { soakCheckpoints(rt, size) })
	tallies := make([]soakTally, size.clients*size.callers) // one per caller: they run in parallel for real
	callers := rt.NewGroup("soak callers")
	for i := range tallies {
		name := fmt.Sprintf("soak-caller-%d", i)
		r := rt.Rand(name)
		callers.Go(name, func() { tallies[i] = soakCaller(rt, size, conns[i%size.clients], name, r) })
	}
	callers.Wait()
	clock.Wait()
	var total soakTally
	for _, t := range tallies {
		total.add(t)
	}
	soakSettle(rt, "streams", func() int { st := srv.Stats(); return st.Streams + st.PendingInvokes })
	for _, c := range conns { // the callers are done: nobody else uses c
		if c.client != nil {
			_ = c.client.Close()
		}
		total.dials += c.dials
	}
	soakSettle(rt, "connections", func() int { return srv.Stats().Conns })
	stopServing()
	srv.serving.Wait()
	soakVerdict(rt, size, total)
	return total
}

// soakCheckpoints runs size.checkpoint at the start and after each of size.samples equal
// slices of size.span.
func soakCheckpoints(rt *sim.Runtime, size soakSize) {
	hook := size.checkpoint
	if hook == nil {
		hook = func(int) {}
	}
	hook(0)
	for i := 1; i <= size.samples; i++ {
		_ = rt.Sleep(context.Background(), size.span/time.Duration(size.samples))
		hook(i)
	}
}

// soakCaller makes calls on c, each after a seeded gap, until span has passed.
func soakCaller(rt *sim.Runtime, size soakSize, c *soakConn, name string, r *rand.Rand) soakTally {
	var t soakTally
	start := rt.Now()
	// Every call waits at least gapMin first, so span/gapMin calls fill the span.
	callsMax := int(size.span/size.gapMin) + 1
	for ; t.calls < callsMax && rt.Since(start) < size.span; t.calls++ {
		_ = rt.Sleep(context.Background(), size.gapMin+time.Duration(r.Int64N(int64(size.gapMax-size.gapMin))))
		tag := fmt.Sprintf("%s.%d", name, t.calls)
		ctx, release, armed := soakContext(rt, r)
		kind := r.IntN(5)
		err := soakCall(rt, c.current(), kind, tag, mux.WithMetadata(ctx, "caller", tag))
		release()
		t.count(rt, err, kind, armed, tag)
	}
	rt.Always(rt.Since(start) >= size.span, fmt.Sprintf("%s stopped after %d calls, before its span", name, t.calls))
	return t
}

// soakContext returns the context of one call, the function that releases it, and whether
// it can end the call: none, a deadline, a cancel from a timer, or already cancelled.
// Deadlines and cancels fall within 30 ms, the span of a call over a slow link.
func soakContext(rt *sim.Runtime, r *rand.Rand) (context.Context, func(), bool) {
	bg := context.Background()
	switch r.IntN(8) {
	case 0:
		ctx, stop := rt.WithTimeout(bg, sim.Micros(r.IntN(30_000)))
		return ctx, stop, true
	case 1:
		ctx, cancel := context.WithCancel(bg)
		t := rt.AfterFunc(sim.Micros(r.IntN(30_000)), cancel)
		return ctx, func() { t.Stop(); cancel() }, true
	case 2:
		ctx, cancel := context.WithCancel(bg)
		cancel()
		return ctx, cancel, true
	}
	return bg, func() {}, false
}

// soakCall makes one call: kinds 0-3 are muxCall's, kind 4 a unary call whose handler
// fails with InvalidArgument, which is returned as it is.
func soakCall(rt *sim.Runtime, c *mux.Client, kind int, tag string, ctx context.Context) error {
	if kind < 4 {
		return muxCall(rt, c, kind, tag, ctx)
	}
	var out wrapperspb.StringValue
	err := c.Invoke(ctx, "/svc/Fail", wrapperspb.String(tag), &out)
	rt.Always(err != nil, fmt.Sprintf("fail %s succeeded", tag))
	return err
}

// count classifies a call's outcome, and checks that a failure is of a documented class
// (DESIGN §6.3): Unavailable when the connection died, Canceled or DeadlineExceeded only
// for a call that had a cancel or deadline, io.EOF only from a stream's Send, and
// InvalidArgument only from the failing handler.
func (t *soakTally) count(rt *sim.Runtime, err error, kind int, armed bool, tag string) {
	code := mux.CodeOf(err)
	switch {
	case err == nil:
		t.ok++
	case code == mux.Unavailable:
		t.unavailable++
	case code == mux.Canceled || code == mux.DeadlineExceeded:
		rt.Always(armed, fmt.Sprintf("call %s (kind %d) ended %v with no cancel or deadline: %v", tag, kind, code, err))
		t.canceled++
	case errors.Is(err, io.EOF):
		rt.Always(kind != 0 && kind != 4, fmt.Sprintf("unary call %s (kind %d) returned io.EOF", tag, kind))
		t.eof++
	case code == mux.InvalidArgument:
		rt.Always(kind == 4, fmt.Sprintf("call %s (kind %d) was rejected: %v", tag, kind, err))
		t.rejected++
	default:
		rt.Fail(fmt.Sprintf("call %s (kind %d) failed with an undocumented error: %v (code %v)", tag, kind, err, code))
	}
}

// soakSettle waits, a bounded number of times, for what counts to reach zero: once
// every call has ended, the server must let go of its streams and, once every client has
// closed, of its connections.
func soakSettle(rt *sim.Runtime, what string, count func() int) {
	n := count()
	for i := 0; i < soakSettleMax && n > 0; i++ {
		_ = rt.Sleep(context.Background(), soakSettleGap)
		n = count()
	}
	rt.Always(n == 0, fmt.Sprintf("the server still holds %d %s after %v", n, what, soakSettleGap*soakSettleMax))
}

// soakVerdict checks the tally and notes it in the trace.
func soakVerdict(rt *sim.Runtime, size soakSize, t soakTally) {
	failed := t.unavailable + t.eof + t.canceled
	rt.Always(t.ok+t.rejected+failed == t.calls, fmt.Sprintf("soak tally does not add up: %+v", t))
	// Each call redials at most once, and each connection starts with one dial.
	rt.Always(t.dials <= t.calls+size.clients, fmt.Sprintf("soak dialled %d times for %d calls", t.dials, t.calls))
	rt.Sometimes(t.dials > size.clients, "a soak client redialled a dead connection")
	rt.Sometimes(t.canceled > 0, "a soak call was cancelled or ran out of time")
	rt.Sometimes(t.unavailable > 0, "a soak call lost its connection")
	if rt.Simulated() {
		rt.Note(fmt.Sprintf("soak: %+v", t))
	}
}

// soakServer is the soak's one server, and what serving a new connection needs.
type soakServer struct {
	*mux.Server
	ctx     context.Context // ends the server's side of every connection
	serving *sim.Group      // owns the server's side of every connection
	// buffer is every connection's simnet Buffer, drawn once per run: simnet allocates
	// each direction's buffer whole, up to 256 KiB, so buffers drawn per connection would
	// make the heap swing with each redial and hide the engine's own memory.
	buffer int
}

// soakConn is one client connection of the soak: its callers share a mux.Client, and
// the first caller to find it dead closes it and dials a new one, with a new fault plan
// drawn from the full profile.
type soakConn struct {
	rt     *sim.Runtime
	id     int
	srv    *soakServer
	mu     *sim.Mutex
	plans  *rand.Rand
	client *mux.Client
	dials  int
}

// dial makes a new connection, has the server serve one end, and returns the other: a
// simulated pipe, named after the client and its dial count so that its fault streams
// are its own, or loopback TCP (connPair).
func (c *soakConn) dial() net.Conn {
	plan := soakPlan(c.plans)
	plan.Buffer = c.srv.buffer
	name := fmt.Sprintf("soak%d.%d", c.id, c.dials)
	var cli, srv net.Conn
	if c.rt.Simulated() {
		cli, srv = simnet.Pipe(c.rt, name, plan)
	} else {
		cli, srv = connPair(c.rt, plan)
	}
	c.srv.serving.Go("serve "+name, func() { _ = c.srv.ServeOne(c.srv.ctx, srv) })
	return cli
}

// soakPlan draws a fault plan from the full profile that can break the link: one that
// could not would live for the rest of the run, and after an hour of redials the
// survivors would all be perfect links. Seven plans in eight can fail; the last of
// soakPlanDraws draws is taken as it is.
func soakPlan(r *rand.Rand) simnet.Plan {
	plan := simnet.RandomPlan(r, simnet.Profile{})
	for i := 1; i < soakPlanDraws && !plan.Failures(); i++ {
		plan = simnet.RandomPlan(r, simnet.Profile{})
	}
	return plan
}

// current returns the connection's client, dialling a new one if it has died.
func (c *soakConn) current() *mux.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil && c.client.Err() == nil {
		return c.client
	}
	if c.client != nil {
		_ = c.client.Close()
	}
	c.dials++
	c.client = mux.NewClient(c.dial(), mux.Options{Runtime: c.rt})
	return c.client
}
