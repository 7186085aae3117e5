package trace

import (
	"fmt"
	"strings"

	"github.com/muxsim/muxsim/scheduler"
)

// This file derives what the page shows beyond who ran when: what each task blocked on
// and who held it, when it resumed, every acquire and release of a mutex, the live tasks
// and held mutexes of a failed run, and the event list. It reads only what a verdict made
// with Options.Log carries (Events, Objects, Blocks, Holds, Sites, Tasks), so it works
// for any program on sim's primitives, translated code included, without notes.

// blockInfos indexes v.Blocks by the Seq of their block events.
func blockInfos(v *scheduler.Verdict) map[uint64]scheduler.BlockInfo {
	out := make(map[uint64]scheduler.BlockInfo, len(v.Blocks))
	for _, b := range v.Blocks {
		out[b.Seq] = b
	}
	return out
}

// taskLabel names a task for hover text and tables: `task 2 "ab"`.
func taskLabel(v *scheduler.Verdict, id scheduler.TaskID) string {
	if id == 0 {
		return "scheduler"
	}
	return fmt.Sprintf("task %d %q", id, v.TaskName(id))
}

// objectLabel names the object a block event waits on.
func objectLabel(v *scheduler.Verdict, id int64) string {
	if what, ok := v.Objects[id]; ok {
		return what
	}
	return fmt.Sprintf("object #%d", id)
}

// blockText says what a block event waits on, with the holder and the blocking call's
// file:line when the verdict has them: `mutex "b"#2 held by task 3 "ba"`.
func blockText(v *scheduler.Verdict, e scheduler.Event, b scheduler.BlockInfo) string {
	s := objectLabel(v, e.Arg)
	if b.Holder != 0 {
		s += " held by " + taskLabel(v, b.Holder)
	}
	return s
}

// laneSide says which side of a connection a task is on: "client" or "server" when its
// name says so or it noted frames for that side, else "".
func laneSide(v *scheduler.Verdict, id scheduler.TaskID, evs []scheduler.Event) string {
	name := strings.ToLower(v.TaskName(id))
	for _, side := range []string{"client", "server"} {
		if strings.Contains(name, side) {
			return side
		}
	}
	for _, e := range evs {
		if e.Task == id && e.Kind == scheduler.EvNote {
			if side, _, _, ok := frameNote(e.Text); ok {
				return side
			}
		}
	}
	return ""
}

// waitMarks returns a mark for every block event (kind "block", with the object and its
// holder), for the event that follows each block of the same task ("wake": the task was
// chosen again, so what it waited on became ready), and for every acquire and release of
// a mutex inside the window ("acquire", "release").
func waitMarks(v *scheduler.Verdict, evs []scheduler.Event, lane map[scheduler.TaskID]int) []pageMark {
	var out []pageMark
	binfo := blockInfos(v)
	blocked := make(map[scheduler.TaskID]scheduler.Event) // each task's block not yet followed
	mark := make(map[scheduler.TaskID]int)                // its index in out
	for _, e := range evs {
		if e.Task == 0 {
			continue
		}
		if b, ok := blocked[e.Task]; ok && e.Kind != scheduler.EvSpawn {
			delete(blocked, e.Task)
			out = append(out, pageMark{L: lane[e.Task], A: e.Step, K: "wake", O: objectLabel(v, b.Arg),
				H: fmt.Sprintf("#%d step=%d t=%v %s resumes: %s, blocked on since step %d, became ready",
					e.Seq, e.Step, e.Time, taskLabel(v, e.Task), objectLabel(v, b.Arg), b.Step)})
		}
		if e.Kind != scheduler.EvBlock {
			continue
		}
		blocked[e.Task], mark[e.Task] = e, len(out)
		b := binfo[e.Seq]
		h := fmt.Sprintf("#%d step=%d t=%v %s blocks on %s", e.Seq, e.Step, e.Time, taskLabel(v, e.Task), blockText(v, e, b))
		if b.At != "" {
			h += " at " + b.At
		}
		out = append(out, pageMark{L: lane[e.Task], A: e.Step, K: "block", O: objectLabel(v, e.Arg), W: int32(b.Holder), H: h})
	}
	for id := range blocked {
		out[mark[id]].E = true // map order is harmless: each task sets its own mark
	}
	if len(evs) == 0 {
		return out
	}
	from := evs[0].Seq - 1
	for _, h := range v.Holds {
		l, ok := lane[h.Task]
		if !ok || h.After < from {
			continue
		}
		k, verb := "release", "releases"
		if h.Acquire {
			k, verb = "acquire", "acquires"
		}
		out = append(out, pageMark{L: l, A: h.Step, K: k, O: h.Label,
			H: fmt.Sprintf("step=%d t=%v %s %s %s (after event #%d)", h.Step, h.Time, taskLabel(v, h.Task), verb, h.Label, h.After)})
	}
	return out
}

// pageTask is a live task of a failed run, as the text report lists it, with the mutexes
// it holds.
type pageTask struct {
	ID      int32    `json:"id"`
	Name    string   `json:"name"`
	Site    string   `json:"site"`
	State   string   `json:"state"`
	Waiting string   `json:"waiting"`
	At      string   `json:"at"`
	Holds   []string `json:"holds"`
}

// pageLock is a mutex held at the end of the run: its holder since which step, and the
// live tasks blocked on it.
type pageLock struct {
	Object  string   `json:"object"`
	Holder  string   `json:"holder"`
	Since   uint64   `json:"since"`
	Waiters []string `json:"waiters"`
}

// held replays v.Holds to the end of the run: for each mutex still held, in the order it
// was last taken, the hold that took it.
func held(v *scheduler.Verdict) []scheduler.Hold {
	var out []scheduler.Hold
	for _, h := range v.Holds {
		for i := range out {
			if out[i].Object == h.Object {
				out = append(out[:i], out[i+1:]...)
				break
			}
		}
		if h.Acquire {
			out = append(out, h)
		}
	}
	return out
}

// liveTables returns the live tasks and the held mutexes of a failed run (nil for a
// passing one: it has no live tasks).
func liveTables(v *scheduler.Verdict) ([]pageTask, []pageLock) {
	if v.Failure == nil {
		return nil, nil
	}
	last := make(map[scheduler.TaskID]int64) // each task's last block, by object ID
	for _, e := range v.Events {
		if e.Kind == scheduler.EvBlock {
			last[e.Task] = e.Arg
		}
	}
	hs := held(v)
	tasks := make([]pageTask, 0, len(v.Tasks))
	for _, t := range v.Tasks {
		pt := pageTask{ID: int32(t.ID), Name: t.Name, Site: t.Site, State: t.State, Waiting: t.Waiting, At: t.At, Holds: []string{}}
		for _, h := range hs {
			if h.Task == t.ID {
				pt.Holds = append(pt.Holds, h.Label)
			}
		}
		tasks = append(tasks, pt)
	}
	locks := make([]pageLock, 0, len(hs))
	for _, h := range hs {
		l := pageLock{Object: h.Label, Holder: taskLabel(v, h.Task), Since: h.Step, Waiters: []string{}}
		for _, t := range v.Tasks {
			if id, ok := last[t.ID]; ok && t.State == "blocked" && id == h.Object {
				l.Waiters = append(l.Waiters, taskLabel(v, t.ID))
			}
		}
		locks = append(locks, l)
	}
	return tasks, locks
}

// pageRow is one line of the event list: an event, or an acquire or release (Q 0).
type pageRow struct {
	Q  uint64 `json:"q"` // the event's Seq; 0 for a hold
	S  uint64 `json:"s"` // step
	T  int64  `json:"t"` // virtual ns
	L  int    `json:"l"` // lane
	K  string `json:"k"` // kind
	D  string `json:"d"` // what happened
	At string `json:"at,omitempty"`
}

// rows lists the window's events in order, each hold after the event it follows.
func rows(v *scheduler.Verdict, evs []scheduler.Event, lane map[scheduler.TaskID]int) []pageRow {
	out := make([]pageRow, 0, len(evs))
	binfo := blockInfos(v)
	holds := v.Holds
	from := uint64(0)
	if len(evs) > 0 {
		from = evs[0].Seq - 1
	}
	for len(holds) > 0 && holds[0].After < from {
		holds = holds[1:]
	}
	emitHolds := func(upTo uint64) {
		for len(holds) > 0 && holds[0].After <= upTo {
			h := holds[0]
			holds = holds[1:]
			k, verb := "release", "releases "
			if h.Acquire {
				k, verb = "acquire", "acquires "
			}
			if l, ok := lane[h.Task]; ok {
				out = append(out, pageRow{S: h.Step, T: int64(h.Time), L: l, K: k, D: verb + h.Label})
			}
		}
	}
	emitHolds(from)
	for _, e := range evs {
		r := pageRow{Q: e.Seq, S: e.Step, T: int64(e.Time), L: lane[e.Task], K: e.Kind.String()}
		switch e.Kind {
		case scheduler.EvSpawn:
			r.D = "spawned by " + taskLabel(v, scheduler.TaskID(e.Arg))
			r.At = v.Site(e.Task)
		case scheduler.EvRun:
			r.D = "runs (the only candidate)"
			if e.Arg != 1 {
				r.D = fmt.Sprintf("runs (of %d candidates)", e.Arg)
			}
		case scheduler.EvBlock:
			b := binfo[e.Seq]
			r.D, r.At = "blocks on "+blockText(v, e, b), b.At
		case scheduler.EvExit:
			r.D = "exits"
		case scheduler.EvTimer:
			r.D = fmt.Sprintf("timer #%d fires", e.Arg)
		case scheduler.EvNote:
			r.D = e.Text
		case scheduler.EvFail:
			r.D = "FAIL " + e.Text
			if f := v.Failure; f != nil {
				r.At = f.At
			}
		}
		out = append(out, r)
		emitHolds(e.Seq)
	}
	return out
}
