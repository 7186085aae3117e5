package trace

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/muxsim/muxsim/scheduler"
)

// chromePID is the one process of a Chrome trace: the simulated run.
const chromePID = 1

// chromeEvent is one entry of the Chrome trace-event format's traceEvents array.
type chromeEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	TS   json.Number    `json:"ts,omitempty"`
	Dur  json.Number    `json:"dur,omitempty"`
	PID  int            `json:"pid"`
	TID  int32          `json:"tid"`
	ID   int            `json:"id,omitempty"`
	BP   string         `json:"bp,omitempty"`
	S    string         `json:"s,omitempty"`
	Args map[string]any `json:"args,omitempty"` // encoding/json sorts map keys
}

// WriteChrome writes v's events in the Chrome trace-event format (the JSON object form,
// {"traceEvents":[...],"displayTimeUnit":"ns",...}), which Perfetto and chrome://tracing
// open. The run is one process; each task is one thread (tid = task ID, named "ID name",
// task 0 being the scheduler, which fires timers). Each stretch in which a task held the
// CPU is a complete ("X") slice, notes, timers and the failure are instant ("i") events,
// and each frame the RPC engine sent and the other side received is a flow ("s" to "f")
// from the send note to the receive note.
//
// The time axis is the step clock, not virtual time: virtual time stands still across
// thousands of decisions, so it cannot give slices a width. A step is drawn as one
// nanosecond (ts, in microseconds by the format, is step/1000, written as exact decimal
// text), so with displayTimeUnit "ns" the viewer's clock reads in steps. Virtual time is
// in every event's args (t_ns).
func WriteChrome(w io.Writer, v *scheduler.Verdict) error {
	bw := bufio.NewWriter(w) // its errors are sticky: Flush reports the first
	bw.WriteString(`{"traceEvents":[`)
	for i, ce := range chromeEvents(v) {
		b, err := json.Marshal(ce)
		if err != nil {
			return fmt.Errorf("trace: chrome event %d: %w", i, err)
		}
		if i > 0 {
			bw.WriteString(",\n")
		}
		bw.Write(b)
	}
	other, err := json.Marshal(verdictJSON(v))
	if err != nil {
		return fmt.Errorf("trace: chrome verdict: %w", err)
	}
	fmt.Fprintf(bw, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":%s}\n", other)
	return bw.Flush()
}

// chromeEvents lists the trace's entries: metadata, then slices, instants and flows.
func chromeEvents(v *scheduler.Verdict) []chromeEvent {
	evs := v.Events
	out := []chromeEvent{{
		Name: "process_name", Ph: "M", PID: chromePID,
		Args: map[string]any{"name": fmt.Sprintf("seed=%d strategy=%s hash=%s", v.Seed, v.Strategy, hashHex(v.Hash))},
	}}
	for _, id := range lanes(evs) {
		out = append(out,
			chromeEvent{Name: "thread_name", Ph: "M", PID: chromePID, TID: int32(id),
				Args: map[string]any{"name": fmt.Sprintf("%d %s", id, laneName(v, id))}},
			chromeEvent{Name: "thread_sort_index", Ph: "M", PID: chromePID, TID: int32(id),
				Args: map[string]any{"sort_index": int32(id)}})
	}
	for _, sp := range spans(evs) {
		first, last := evs[sp.First], evs[sp.Last]
		out = append(out, chromeEvent{
			Name: laneName(v, sp.Task), Cat: "run", Ph: "X", TS: stepTS(sp.From), Dur: stepTS(sp.To - sp.From),
			PID: chromePID, TID: int32(sp.Task),
			Args: map[string]any{"seq": fmt.Sprintf("%d-%d", first.Seq, last.Seq), "t_ns": int64(first.Time), "first": v.Describe(first)},
		})
	}
	for _, e := range evs {
		if ce, ok := chromeInstant(v, e); ok {
			out = append(out, ce)
		}
	}
	for i, fr := range frames(evs) {
		s, f := evs[fr.Send], evs[fr.Recv]
		out = append(out,
			chromeEvent{Name: "frame", Cat: "frame", Ph: "s", TS: stepTS(s.Step), PID: chromePID, TID: int32(s.Task), ID: i + 1},
			chromeEvent{Name: "frame", Cat: "frame", Ph: "f", BP: "e", TS: stepTS(f.Step), PID: chromePID, TID: int32(f.Task), ID: i + 1})
	}
	return out
}

// chromeInstant renders a note, a timer or the failure as an instant event; the failure's
// is global, so viewers draw it across every thread.
func chromeInstant(v *scheduler.Verdict, e scheduler.Event) (chromeEvent, bool) {
	ce := chromeEvent{
		Name: e.Text, Cat: e.Kind.String(), Ph: "i", S: "t", TS: stepTS(e.Step), PID: chromePID, TID: int32(e.Task),
		Args: map[string]any{"seq": e.Seq, "t_ns": int64(e.Time), "event": v.Describe(e)},
	}
	switch e.Kind {
	case scheduler.EvNote:
	case scheduler.EvTimer:
		ce.Name = fmt.Sprintf("timer #%d", e.Arg)
	case scheduler.EvFail:
		ce.Name, ce.S = "FAIL "+e.Text, "g"
	default:
		return chromeEvent{}, false
	}
	return ce, true
}

// stepTS converts a number of steps to the format's microseconds, one step a nanosecond.
func stepTS(steps uint64) json.Number {
	return json.Number(fmt.Sprintf("%d.%03d", steps/1000, steps%1000))
}
