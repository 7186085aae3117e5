package scheduler

// ChanWaitable makes a close-only channel (a context's Done) something a task can block
// on: it is ready once the channel is closed. Polling it at decision points is
// deterministic because under simulation channels are closed only by tasks and timer
// callbacks, both under the scheduler. The poll is hidden from the race detector, so that
// the scheduler looking at a channel does not add a happens-before edge between tasks.
func ChanWaitable(ch <-chan struct{}, id int64, what string) Waitable {
	return &chanWait{ch: ch, id: id, what: what}
}

type chanWait struct {
	ch   <-chan struct{}
	id   int64
	what string
}

//go:norace
func (c *chanWait) Ready() bool {
	raceDisable()
	defer raceEnable()
	//simvet:allow select a polled context channel, read in scheduler context: no task waits here
	select {
	case <-c.ch:
		return true
	default:
		return false
	}
}

//go:norace
func (c *chanWait) WaitID() int64 { return c.id }

// Waiters is nil: a channel cannot tell the scheduler it closed, so it is polled.
func (c *chanWait) Waiters() *WaitList { return nil }

//go:norace
func (c *chanWait) Describe() string { return c.what }
