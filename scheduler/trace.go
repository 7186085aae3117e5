package scheduler

import (
	"fmt"
	"runtime"
	"time"
)

// EventKind says what an Event records.
type EventKind uint8

// The kinds of event. Their numeric values feed the trace hash: never reorder them.
const (
	EvSpawn EventKind = iota + 1 // Task was spawned by the task in Arg.
	EvRun                        // a decision chose Task among Arg candidates
	EvBlock                      // Task blocked on the object whose ID is Arg
	EvExit                       // Task returned
	EvTimer                      // the timer whose ID is Arg fired
	EvNote                       // an application event (a frame, a fault) with Text
	EvFail                       // the run failed; Text is the message
)

var eventNames = [...]string{"?", "spawn", "run", "block", "exit", "timer", "note", "fail"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("kind%d", k)
}

// Event is one numbered entry of a run's trace. Step is the number of scheduling decisions
// taken before it; Time is virtual time since the epoch. Events hold IDs, never pointers
// or wall-clock times, so that they can be hashed and compared across runs and machines.
type Event struct {
	Seq  uint64        // position in the run's event sequence, from 1
	Step uint64        // scheduling decisions taken so far
	Time time.Duration // virtual time since Epoch
	Kind EventKind
	Task TaskID // the task the event is about (0 for the scheduler itself)
	Arg  int64  // kind-specific: candidates, object ID, parent task, timer ID
	Text string // EvNote and EvFail only
}

func (e Event) String() string {
	s := fmt.Sprintf("#%d step=%d t=%v %s task=%d arg=%d", e.Seq, e.Step, e.Time, e.Kind, e.Task, e.Arg)
	if e.Text != "" {
		s += " " + e.Text
	}
	return s
}

// tracer keeps the rolling hash over every event, a ring of the last events, and, when
// asked, the whole log.
type tracer struct {
	hash uint64
	seq  uint64
	ring []Event   // fixed length; ring[seq%len] is the newest
	on   []blockOn // what each block event of the ring waits on, by the same index
	log  []Event   // nil unless Options.Log
	// seen holds, with Options.Log, every object a task blocked on, sorted by ID. It is a
	// slice rather than a map because the runtime's map code reports its accesses to the
	// race detector whatever go:norace says, and tasks on the channel baton run on
	// different goroutines.
	seen []seenObject
	// blocks holds, with Options.Log, what each block event does not hash: the holder of
	// a held object and the blocking call's stack. Plain values only: strings are built
	// when the verdict is made, off the tasks' goroutines.
	blocks []blockRec
	keep   bool
}

// blockRec is the unhashed record of one block event (tracer.blocks).
type blockRec struct {
	seq    uint64
	holder TaskID
	pcs    [blockPCsMax]uintptr
}

// blockPCsMax bounds the frames kept of a blocking call's stack: the scheduler, a
// primitive and a shim or two sit above the user's frame.
const blockPCsMax = 10

// Holder is implemented by a Waitable that a task can hold, as a mutex is held: HolderID
// returns the holder's ID, or 0 when no task holds it. With Options.Log the verdict
// records the holder as each task blocks (Verdict.Blocks).
type Holder interface {
	HolderID() TaskID
}

// blockOn is what a block event waits on: the first waitable and how many there are.
// Events keep only the object's ID, which is all the hash needs; a verdict describes the
// objects its events name, for people, when the run is over.
type blockOn struct {
	w Waitable
	n int
}

// Labeler is implemented by a Waitable whose Describe includes state that changes (a
// mutex's holder): Label names it without that state ("mutex \"pool\""), for events that
// happened before the end of the run. Without it the event tail uses Describe.
type Labeler interface {
	Label() string
}

func (b blockOn) String() string {
	label := b.w.Describe()
	if l, ok := b.w.(Labeler); ok {
		label = l.Label()
	}
	if b.n > 1 {
		label += fmt.Sprintf(" or %d other", b.n-1)
	}
	return label
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func newTracer(tail int, keep bool) tracer {
	if tail <= 0 {
		tail = 1
	}
	tr := tracer{hash: fnvOffset, ring: make([]Event, tail), on: make([]blockOn, tail), keep: keep}
	return tr
}

// emitBlock emits a block event on ws and remembers what it waits on.
//
//go:norace
func (tr *tracer) emitBlock(step uint64, now time.Duration, task TaskID, ws []Waitable) {
	id := ws[0].WaitID()
	tr.emit(step, now, EvBlock, task, id, "")
	b := blockOn{ws[0], len(ws)}
	tr.on[tr.seq%uint64(len(tr.ring))] = b
	if tr.keep {
		tr.see(id, b)
		r := blockRec{seq: tr.seq}
		if h, ok := ws[0].(Holder); ok {
			r.holder = h.HolderID()
		}
		runtime.Callers(3, r.pcs[:]) // from block's caller: Wait or Select
		tr.blocks = append(tr.blocks, r)
	}
}

// BlockInfo is what a verdict made with Options.Log adds to a block event, outside the
// hash: the task that held the object as the task blocked (0 when it was free or is not
// held, as a channel is not) and where the blocking call is in the task's own code.
type BlockInfo struct {
	Seq    uint64 // the block event's Seq
	Holder TaskID
	At     string // file:line of the first frame outside the runtime packages, or "?"
}

// blockInfos resolves the kept block records for the verdict.
func (tr *tracer) blockInfos() []BlockInfo {
	if len(tr.blocks) == 0 {
		return nil
	}
	out := make([]BlockInfo, len(tr.blocks))
	for i, r := range tr.blocks {
		out[i] = BlockInfo{Seq: r.seq, Holder: r.holder, At: userSite(r.pcs[:])}
	}
	return out
}

// seenObject is an object some task blocked on (tracer.seen).
type seenObject struct {
	id int64
	b  blockOn
}

// see adds the object to tr.seen unless it is there. Objects are mostly first blocked on
// in the order they were made, so the search runs from the end. The loops are written
// out: library code (slices, copy) is instrumented for the race detector even when
// called from here.
//
//go:norace
func (tr *tracer) see(id int64, b blockOn) {
	i := len(tr.seen)
	for i > 0 && tr.seen[i-1].id >= id {
		if tr.seen[i-1].id == id {
			return
		}
		i--
	}
	tr.seen = append(tr.seen, seenObject{})
	for j := len(tr.seen) - 1; j > i; j-- {
		tr.seen[j] = tr.seen[j-1]
	}
	tr.seen[i] = seenObject{id, b}
}

// objects describes the objects the kept events block on, by ID: those of the tail, and
// with Options.Log every one.
//
//go:norace
func (tr *tracer) objects() map[int64]string {
	out := make(map[int64]string)
	for _, o := range tr.seen {
		out[o.id] = o.b.String()
	}
	n := uint64(len(tr.ring))
	for s := tr.seq - min(n, tr.seq) + 1; s <= tr.seq; s++ {
		e, b := tr.ring[s%n], tr.on[s%n]
		if e.Kind == EvBlock && b.w != nil {
			if _, ok := out[e.Arg]; !ok {
				out[e.Arg] = b.String()
			}
		}
	}
	return out
}

// emit hashes one event and stores it. The hash is FNV-1a taken over 64-bit words rather
// than bytes: the same stability, a quarter of the multiplications.
//
//go:norace
func (tr *tracer) emit(step uint64, now time.Duration, kind EventKind, task TaskID, arg int64, text string) {
	tr.seq++
	h := tr.hash
	h = (h ^ (uint64(kind) | uint64(uint32(task))<<8)) * fnvPrime
	h = (h ^ uint64(arg)) * fnvPrime
	h = (h ^ uint64(now)) * fnvPrime
	for i := 0; i < len(text); i++ {
		h = (h ^ uint64(text[i])) * fnvPrime
	}
	tr.hash = h
	e := &tr.ring[tr.seq%uint64(len(tr.ring))]
	e.Seq, e.Step, e.Time, e.Kind, e.Task, e.Arg, e.Text = tr.seq, step, now, kind, task, arg, text
	if tr.keep {
		tr.log = append(tr.log, *e)
	}
}

// tail returns the last events, oldest first.
func (tr *tracer) tail() []Event {
	n := uint64(len(tr.ring))
	if tr.seq < n {
		n = tr.seq
	}
	out := make([]Event, 0, n)
	for s := tr.seq - n + 1; s <= tr.seq; s++ {
		out = append(out, tr.ring[s%uint64(len(tr.ring))])
	}
	return out
}

// Describe renders an event with task names.
func (v *Verdict) Describe(e Event) string {
	who := "scheduler"
	if e.Task != 0 {
		who = fmt.Sprintf("task %d %q", e.Task, v.TaskName(e.Task))
	}
	head := fmt.Sprintf("#%d step=%d t=%v %s", e.Seq, e.Step, e.Time, who)
	switch e.Kind {
	case EvSpawn:
		return fmt.Sprintf("%s spawned by task %d", head, e.Arg)
	case EvRun:
		if e.Arg == 1 {
			return head + " runs (the only candidate)"
		}
		return fmt.Sprintf("%s runs (of %d candidates)", head, e.Arg)
	case EvBlock:
		if what, ok := v.Objects[e.Arg]; ok {
			return head + " blocks on " + what
		}
		return fmt.Sprintf("%s blocks on object #%d", head, e.Arg)
	case EvExit:
		return head + " exits"
	case EvTimer:
		return fmt.Sprintf("#%d step=%d t=%v timer #%d fires", e.Seq, e.Step, e.Time, e.Arg)
	case EvNote:
		return head + " " + e.Text
	case EvFail:
		return head + " FAIL " + e.Text
	}
	return e.String()
}
