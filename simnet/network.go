package simnet

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/muxsim/muxsim/sim"
)

// NetOptions configure a Network. The zero value is usable.
type NetOptions struct {
	// Plan returns the fault plan of a new connection from host from to address to.
	// Default: the zero Plan, a perfect link.
	Plan func(from, to string) Plan
	// Backlog bounds the connections waiting for Accept on one listener; a dial beyond it
	// is refused. Default 128.
	Backlog int
}

// DefaultBacklog is NetOptions.Backlog's default.
const DefaultBacklog = 128

// Network is a set of hosts that listen on and dial addresses "host:port" over simulated
// connections, with a fault plan per connection and partitions between hosts.
type Network struct {
	rt        *sim.Runtime
	mu        *sim.Mutex
	opts      NetOptions
	listeners []*Listener
	links     []*link     // live connections, for partitions
	cuts      [][2]string // partitioned host pairs
	healed    *sim.Event  // fired and replaced when a partition heals
	dials     int
}

// NewNetwork returns an empty network.
func NewNetwork(rt *sim.Runtime, opts NetOptions) *Network {
	if opts.Backlog <= 0 {
		opts.Backlog = DefaultBacklog
	}
	return &Network{rt: rt, mu: rt.NewMutex("simnet network"), opts: opts, healed: rt.NewEvent("heal")}
}

// host returns the host part of "host:port".
func host(addr string) string {
	h, _, _ := strings.Cut(addr, ":")
	return h
}

// Listen starts accepting connections on addr ("host:port").
func (n *Network) Listen(addr string) (*Listener, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.listener(addr) != nil {
		return nil, opError("listen", nil, Addr(addr), ErrAddrInUse)
	}
	l := &Listener{n: n, addr: Addr(addr), changed: n.rt.NewEvent("accept " + addr)}
	n.listeners = append(n.listeners, l)
	return l, nil
}

func (n *Network) listener(addr string) *Listener {
	for _, l := range n.listeners {
		if string(l.addr) == addr && !l.closed {
			return l
		}
	}
	return nil
}

// Dial connects host from to the listener at to. A dial to an address nobody listens on,
// or whose backlog is full, is refused; a dial across a partition waits for the heal or
// for ctx, and then fails with ErrUnreachable.
func (n *Network) Dial(ctx context.Context, from, to string) (*Conn, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for n.cut(from, host(to)) {
		ev := n.healed
		n.mu.Unlock()
		err := n.rt.Wait(ctx, ev)
		n.mu.Lock()
		if err != nil {
			return nil, opError("dial", Addr(from), Addr(to), fmt.Errorf("%w (%w)", ErrUnreachable, err))
		}
	}
	l := n.listener(to)
	if l == nil || len(l.queue) >= n.opts.Backlog {
		return nil, opError("dial", Addr(from), Addr(to), ErrRefused)
	}
	n.dials++
	name := fmt.Sprintf("conn%d", n.dials)
	var plan Plan
	if n.opts.Plan != nil {
		plan = n.opts.Plan(from, to)
	}
	a, b := newLink(n.rt, name, plan, Addr(fmt.Sprintf("%s:%d", from, 40000+n.dials)), Addr(to))
	n.links = append(n.links, a.l)
	l.queue = append(l.queue, b)
	l.wake()
	return a, nil
}

// Partition cuts every connection between hosts a and b, both ways: bytes in flight wait
// and new dials between them block, until Heal.
func (n *Network) Partition(a, b string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cut(a, b) {
		return
	}
	n.cuts = append(n.cuts, [2]string{a, b})
	n.rt.Note("simnet partition " + a + " | " + b)
	n.hold(a, b, true)
}

// Heal undoes Partition(a, b).
func (n *Network) Heal(a, b string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, c := range n.cuts {
		if (c[0] == a && c[1] == b) || (c[0] == b && c[1] == a) {
			n.cuts = append(n.cuts[:i], n.cuts[i+1:]...)
			n.rt.Note("simnet heal " + a + " | " + b)
			n.hold(a, b, false)
			old := n.healed
			n.healed = n.rt.NewEvent("heal")
			old.Fire()
			return
		}
	}
}

func (n *Network) cut(a, b string) bool {
	for _, c := range n.cuts {
		if (c[0] == a && c[1] == b) || (c[0] == b && c[1] == a) {
			return true
		}
	}
	return false
}

// hold sets the partition flag on every live connection between a and b, and forgets
// connections whose ends are both closed.
func (n *Network) hold(a, b string, held bool) {
	live := n.links[:0]
	for _, l := range n.links {
		l.mu.Lock()
		ha, hb := host(string(l.end[0].local)), host(string(l.end[1].local))
		if (ha == a && hb == b) || (ha == b && hb == a) {
			for _, h := range l.dir {
				h.held = held
				h.wake()
			}
		}
		gone := l.end[0].closed && l.end[1].closed
		l.mu.Unlock()
		if !gone {
			live = append(live, l)
		}
	}
	n.links = live
}

// Listener accepts connections dialed to its address.
type Listener struct {
	n       *Network
	addr    Addr
	queue   []*Conn // dialed, not yet accepted
	closed  bool
	changed *sim.Event
	waiters int
}

// Accept waits for and returns the next connection. After Close it fails with
// net.ErrClosed.
func (l *Listener) Accept() (net.Conn, error) {
	n := l.n
	n.mu.Lock()
	defer n.mu.Unlock()
	for {
		if l.closed {
			return nil, opError("accept", l.addr, nil, net.ErrClosed)
		}
		if len(l.queue) > 0 {
			c := l.queue[0]
			l.queue[0] = nil
			l.queue = l.queue[1:]
			return c, nil
		}
		ev := l.changed
		l.waiters++
		n.mu.Unlock()
		_ = n.rt.Wait(context.Background(), ev)
		n.mu.Lock()
		l.waiters--
	}
}

func (l *Listener) wake() {
	if l.waiters == 0 {
		return
	}
	old := l.changed
	l.changed = l.n.rt.NewEvent("accept " + string(l.addr))
	old.Fire()
}

// Close stops the listener: pending Accepts fail, and connections dialed but not accepted
// are reset.
func (l *Listener) Close() error {
	n := l.n
	n.mu.Lock()
	defer n.mu.Unlock()
	if l.closed {
		return opError("close", l.addr, nil, net.ErrClosed)
	}
	l.closed = true
	for _, c := range l.queue {
		c.l.mu.Lock()
		c.l.reset()
		c.l.mu.Unlock()
	}
	l.queue = nil
	l.wake()
	return nil
}

// Addr returns the listening address.
func (l *Listener) Addr() net.Addr { return l.addr }
