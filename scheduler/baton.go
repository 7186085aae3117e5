package scheduler

import "iter"

// Baton selects how control passes between tasks. Both batons run the same decisions and
// produce identical traces; they differ only in how a task is suspended and resumed.
type Baton uint8

const (
	// BatonDefault is BatonCoroutine, or BatonChannel in a binary built with -race.
	BatonDefault Baton = iota
	// BatonCoroutine runs each task as a runtime coroutine (iter.Pull): the fast one, for
	// sweeps. Every switch is a happens-before edge, so -race sees no races between tasks.
	BatonCoroutine
	// BatonChannel runs each task on a goroutine and hands control over channels with
	// race tracking suspended around the handoff; the primitives declare the real edges.
	// Under -race it reports data races between tasks that the coroutine baton hides.
	BatonChannel
)

func (b Baton) String() string {
	switch b {
	case BatonCoroutine:
		return "coro"
	case BatonChannel:
		return "chan"
	}
	return "default"
}

// baton is the handoff mechanism. resume runs from the driver and returns when the task
// switches out or exits; switchOut runs from the task and returns when it is resumed.
type baton interface {
	start(t *Task)
	resume(t *Task)
	switchOut(t *Task)
}

type coroBaton struct{}

func (coroBaton) start(t *Task) {
	t.next, t.stop = iter.Pull(func(yield func(struct{}) bool) {
		t.yield = yield
		t.s.taskMain(t)
	})
}

func (coroBaton) resume(t *Task) { t.next() }

func (coroBaton) switchOut(t *Task) {
	if !t.yield(struct{}{}) {
		t.killed = true
	}
}

// chanBaton hands control over unbuffered channels. The functions are go:norace and the
// channel operations run with race synchronisation disabled, so that the handoff adds no
// happens-before edge between tasks.
type chanBaton struct {
	back chan struct{}
}

//go:norace
func (b *chanBaton) start(t *Task) {
	t.wake = make(chan struct{})
	// The one goroutine per task that this baton needs: it is the simulated task itself,
	// parked until the scheduler resumes it.
	//simvet:allow go the channel baton's goroutine is the simulated task, run only when handed the baton
	go b.body(t)
}

//go:norace
func (b *chanBaton) body(t *Task) {
	raceDisable()
	<-t.wake
	raceEnable()
	t.s.taskMain(t)
	raceDisable()
	b.back <- struct{}{}
	raceEnable()
}

//go:norace
func (b *chanBaton) resume(t *Task) {
	raceDisable()
	t.wake <- struct{}{}
	<-b.back
	raceEnable()
}

//go:norace
func (b *chanBaton) switchOut(t *Task) {
	raceDisable()
	b.back <- struct{}{}
	<-t.wake
	raceEnable()
}
