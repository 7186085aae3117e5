package sim

import (
	"context"
	"math/rand/v2"
	"reflect"

	"github.com/muxsim/muxsim/scheduler"
)

// Select waits until one of ws is ready or ctx is done: the deterministic replacement for
// a select statement. It returns the index of the ready waitable, or -1 and ctx.Err().
// When several are ready at once, the simulated runtime lets the schedule choose, as Go's
// select chooses at random. A nil ctx never fires. Under simulation Select is a
// scheduling point even when something is ready already.
//
// Channel operations are cases too (Chan.SendCase, Chan.RecvCase, Chan.RecvCase2): the
// one whose index Select returns has happened, and no other. With Default among ws,
// Select does not block: it returns Default's index when nothing else is ready.
func (rt *Runtime) Select(ctx context.Context, ws ...Waitable) (int, error) {
	if rt.s == nil {
		return realSelect(ctx, ws)
	}
	return rt.simSelect(ctx, ws)
}

// Wait waits for one waitable or ctx: Select with a single case.
func (rt *Runtime) Wait(ctx context.Context, w Waitable) error {
	_, err := rt.Select(ctx, w)
	return err
}

//go:norace
func (rt *Runtime) simSelect(ctx context.Context, ws []Waitable) (int, error) {
	s := rt.s
	s.Point()
	sw := make([]scheduler.Waitable, len(ws), len(ws)+1)
	dflt := -1
	for i, w := range ws {
		if _, ok := w.(defaultCase); ok {
			if dflt >= 0 {
				panic("sim: Select with several Default cases")
			}
			dflt = i
		}
		sw[i] = w.waitable()
	}
	if ctx != nil {
		if done := ctx.Done(); done != nil {
			sw = append(sw, scheduler.ChanWaitable(done, 0, "context done"))
		}
	}
	i := s.ChooseReady(sw)
	if i < 0 {
		if dflt >= 0 {
			return dflt, nil
		}
		i = simBlock(s, ws, sw)
	}
	if i == len(ws) {
		return -1, ctx.Err()
	}
	ws[i].taken()
	return i, nil
}

// simBlock blocks the task until one of the cases is ready and returns its index. Its
// unbuffered channel cases are offers while it waits: a counterpart that completes one
// decides the outcome, whatever else became ready meanwhile.
//
//go:norace
func simBlock(s *scheduler.Sched, ws []Waitable, sw []scheduler.Waitable) int {
	var sel *selector
	for i, w := range ws {
		if cc, ok := w.(chanCase); ok {
			if sel == nil {
				sel = &selector{done: -1}
			}
			cc.enlist(sel, i)
		}
	}
	i := s.Select(sw)
	if sel == nil {
		return i
	}
	if sel.done >= 0 {
		i = sel.done
	}
	for _, w := range ws {
		if cc, ok := w.(chanCase); ok {
			cc.delist()
		}
	}
	return i
}

// realSelect specialises the common arities into native selects (a reflect.Select costs
// about 1.5x and allocates) and falls back to reflect beyond four cases.
func realSelect(ctx context.Context, ws []Waitable) (int, error) {
	for _, w := range ws {
		switch w.(type) {
		case chanCase, defaultCase:
			return realSelectCases(ctx, ws)
		}
	}
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	switch len(ws) {
	case 0:
		<-done
	case 1:
		select {
		case <-ws[0].waitChan():
			return 0, nil
		case <-done:
		}
	case 2:
		select {
		case <-ws[0].waitChan():
			return 0, nil
		case <-ws[1].waitChan():
			return 1, nil
		case <-done:
		}
	case 3:
		select {
		case <-ws[0].waitChan():
			return 0, nil
		case <-ws[1].waitChan():
			return 1, nil
		case <-ws[2].waitChan():
			return 2, nil
		case <-done:
		}
	default:
		cases := make([]reflect.SelectCase, len(ws)+1)
		for i, w := range ws {
			cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(w.waitChan())}
		}
		cases[len(ws)] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(done)}
		if i, _, _ := reflect.Select(cases); i < len(ws) {
			return i, nil
		}
	}
	return -1, ctx.Err()
}

// realSelectCases is the real runtime's Select with channel operations or Default among
// its cases. It first tries every case without blocking, in a random order as Go's
// select does, which costs a few native non-blocking operations; only a Select that
// must block pays for reflect.Select.
func realSelectCases(ctx context.Context, ws []Waitable) (int, error) {
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	var orderBuf [8]int
	order := orderBuf[:0]
	if len(ws)+1 > len(orderBuf) {
		order = make([]int, 0, len(ws)+1)
	}
	for i := range len(ws) + 1 {
		order = append(order, i)
	}
	rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	dflt := -1
	for _, i := range order {
		if i == len(ws) {
			if isClosed(done) {
				return -1, ctx.Err()
			}
			continue
		}
		switch w := ws[i].(type) {
		case chanCase:
			if w.try() {
				return i, nil
			}
		case defaultCase:
			if dflt >= 0 {
				panic("sim: Select with several Default cases")
			}
			dflt = i
		default:
			if isClosed(w.waitChan()) {
				return i, nil
			}
		}
	}
	if dflt >= 0 {
		return dflt, nil
	}
	return realSelectBlock(ctx, done, ws)
}

// isClosed reports whether a receive from ch would not block (and does it: a Notify's
// token is taken, as the select it stands for would).
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// realSelectBlock waits for the first case to become ready: one reflect.Select over all.
func realSelectBlock(ctx context.Context, done <-chan struct{}, ws []Waitable) (int, error) {
	cases := make([]reflect.SelectCase, len(ws)+1)
	for i, w := range ws {
		if cc, ok := w.(chanCase); ok {
			cases[i] = cc.selectCase()
		} else {
			cases[i] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(w.waitChan())}
		}
	}
	cases[len(ws)] = reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(done)}
	i, v, ok := reflect.Select(cases)
	if i == len(ws) {
		return -1, ctx.Err()
	}
	if cc, isChan := ws[i].(chanCase); isChan && cases[i].Dir == reflect.SelectRecv {
		cc.received(v, ok)
	}
	return i, nil
}
