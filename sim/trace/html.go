package trace

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/muxsim/muxsim/scheduler"
)

// drawnEventsMax bounds the events an HTML page draws, so that a long run still gives a
// page a browser lays out in about a second. A longer run is cut to its last events,
// which hold the failure: the failing event is the last of a failed run.
const drawnEventsMax = 20_000

//go:embed page.html
var pageSource string

var page = template.Must(template.New("page").Parse(pageSource))

// pageView is what the page template reads; Data is the JSON the page's script draws.
type pageView struct {
	Verdict jsonVerdict
	VTime   string
	Failure string
	Window  string // says which events are drawn when not all are
	Data    template.JS
}

// pageData is the drawing, embedded in the page as JSON. Short keys keep a large trace's
// page small: l lane (index into Lanes), a and b steps, h hover text.
type pageData struct {
	From   uint64     `json:"from"` // the first step drawn
	To     uint64     `json:"to"`   // one past the last step drawn
	Lanes  []pageLane `json:"lanes"`
	Spans  []pageBar  `json:"spans"`
	Marks  []pageMark `json:"marks"`
	Frames []pageLink `json:"frames"`
	Fail   *pageMark  `json:"fail"`
	Times  [][2]int64 `json:"times"` // [step, virtual ns] wherever virtual time moved
	Tasks  []pageTask `json:"tasks"` // a failed run's live tasks
	Locks  []pageLock `json:"locks"` // a failed run's mutexes still held
	Rows   []pageRow  `json:"rows"`  // the event list
}

type pageLane struct {
	ID   int32  `json:"id"`
	Name string `json:"name"`
	Site string `json:"site,omitempty"` // where the task was spawned
	Side string `json:"side,omitempty"` // client or server
}

type pageBar struct {
	L int    `json:"l"`
	A uint64 `json:"a"`
	B uint64 `json:"b"`
	H string `json:"h"`
}

type pageMark struct {
	L int    `json:"l"`
	A uint64 `json:"a"`
	K string `json:"k"` // note, fault, timer, fail, block, wake, acquire or release
	H string `json:"h"`
	O string `json:"o,omitempty"` // block, wake, acquire, release: the object
	W int32  `json:"w,omitempty"` // block: the task holding the object, when known
	E bool   `json:"e,omitempty"` // block: the task is still blocked at the end of the window
}

type pageLink struct {
	S int    `json:"s"` // the sending lane
	R int    `json:"r"` // the receiving lane
	A uint64 `json:"a"` // the send step
	B uint64 `json:"b"` // the receive step
	H string `json:"h"`
	K string `json:"k"` // a short label: the frame's kind, stream, message, length
}

// WriteHTML writes a self-contained page (inline style and script, no network) that
// draws v as a timeline: one lane per task over the step axis, a bar for each stretch a
// task held the CPU, an arrow for each frame from the sender's lane to the receiver's, a
// tick for each note and timer, and a red line at the failing step, with the verdict and
// the failure at the top. Lanes are labelled with the task's name, its spawn site and,
// when its name or its frame notes say so, its side (client or server). On the lanes a
// triangle marks each block (its hover names the object, the task holding it when it is
// a mutex, and the blocking call's file:line) and each resumption, and small squares
// each mutex acquire and release; a task still blocked at the end is labelled with what
// it waits on. Frame arrows carry a label (kind, stream, message, length: frame notes
// hold no payload). Below the lanes a failed run's page lists the live tasks (state,
// what each waits on, where, the mutexes it holds) and the mutexes still held (holder,
// since which step, waiters), and every page lists its events with step, time, task,
// what happened and, where known, file:line. Blocks, holds and sites come from a verdict
// made with Options.Log (Verdict.Blocks, Holds, Sites), so the page needs no notes from
// the program. Every element has Describe-like hover text; the axis labels
// steps and virtual time. The data is embedded as JSON that the encoder has escaped for
// HTML (no '<' or '&' survives), and the script writes text only through textContent, so
// a note cannot inject markup. A run of more than 20,000 events is drawn from its last
// 20,000, and the page says so.
func WriteHTML(w io.Writer, v *scheduler.Verdict) error {
	evs := v.Events
	view := pageView{Verdict: verdictJSON(v), VTime: v.Time.String()}
	if v.Failure != nil {
		view.Failure = v.Failure.String()
	}
	if len(evs) == 0 {
		view.Window = "no events were recorded: run with Options.Log set to draw the run"
	}
	if len(evs) > drawnEventsMax {
		evs = evs[len(evs)-drawnEventsMax:]
		view.Window = fmt.Sprintf("showing the last %d of %d events (#%d-#%d, steps %d-%d)",
			len(evs), len(v.Events), evs[0].Seq, evs[len(evs)-1].Seq, evs[0].Step, evs[len(evs)-1].Step)
	}
	data, err := json.Marshal(drawing(v, evs)) // escapes <, >, &, U+2028 and U+2029
	if err != nil {
		return fmt.Errorf("trace: html data: %w", err)
	}
	view.Data = template.JS(data)
	bw := bufio.NewWriter(w) // the template writes in many small pieces
	if err := page.Execute(bw, view); err != nil {
		return fmt.Errorf("trace: html page: %w", err)
	}
	return bw.Flush()
}

// drawing lays out evs, a window of v's events, for the page's script.
func drawing(v *scheduler.Verdict, evs []scheduler.Event) pageData {
	// Empty lists, not null, so that the script need not check.
	d := pageData{Lanes: []pageLane{}, Spans: []pageBar{}, Marks: []pageMark{}, Frames: []pageLink{}, Times: [][2]int64{},
		Tasks: []pageTask{}, Locks: []pageLock{}}
	lane := make(map[scheduler.TaskID]int)
	for i, id := range lanes(evs) {
		lane[id] = i
		l := pageLane{ID: int32(id), Name: laneName(v, id)}
		if id != 0 {
			l.Site, l.Side = v.Site(id), laneSide(v, id, evs)
		}
		d.Lanes = append(d.Lanes, l)
	}
	if len(evs) > 0 {
		d.From, d.To = evs[0].Step, evs[len(evs)-1].Step+1
	}
	for _, sp := range spans(evs) {
		first, last := evs[sp.First], evs[sp.Last]
		h := fmt.Sprintf("task %d %q runs steps %d-%d (t=%v), events #%d-#%d\n%s",
			sp.Task, laneName(v, sp.Task), sp.From, sp.To-1, first.Time, first.Seq, last.Seq, v.Describe(first))
		d.Spans = append(d.Spans, pageBar{L: lane[sp.Task], A: sp.From, B: sp.To, H: h})
	}
	last := time.Duration(-1)
	for _, e := range evs {
		if e.Time != last {
			d.Times, last = append(d.Times, [2]int64{int64(e.Step), int64(e.Time)}), e.Time
		}
		if k := markKind(e); k != "" {
			m := pageMark{L: lane[e.Task], A: e.Step, K: k, H: v.Describe(e)}
			d.Marks = append(d.Marks, m)
			if k == "fail" {
				d.Fail = &m
			}
		}
	}
	d.Marks = append(d.Marks, waitMarks(v, evs, lane)...)
	for _, fr := range frames(evs) {
		s, r := evs[fr.Send], evs[fr.Recv]
		d.Frames = append(d.Frames, pageLink{
			S: lane[s.Task], R: lane[r.Task], A: s.Step, B: r.Step, H: v.Describe(s) + "\n" + v.Describe(r), K: frameLabel(s.Text),
		})
	}
	if tasks, locks := liveTables(v); tasks != nil {
		d.Tasks, d.Locks = tasks, locks
	}
	d.Rows = rows(v, evs, lane)
	return d
}

// frameLabel shortens a frame note for the arrow: "client send s3 m2 Message 4096 done"
// gives "Message s3 m2 4096B done". The notes carry no payload bytes (the note text feeds
// the trace hash), so the length stands in for them.
func frameLabel(text string) string {
	_, _, rest, ok := frameNote(text)
	if !ok {
		return ""
	}
	f := strings.Fields(rest) // s3 m2 Message 4096 [done]
	if len(f) < 4 {
		return rest
	}
	out := f[2] + " " + f[0] + " " + f[1] + " " + f[3] + "B"
	if len(f) > 4 {
		out += " " + strings.Join(f[4:], " ")
	}
	return out
}

// markKind says how the page draws an event as a tick, or "" for none. Fault notes
// (fault points and the simulated network's faults) stand out from other notes.
func markKind(e scheduler.Event) string {
	switch e.Kind {
	case scheduler.EvNote:
		if strings.HasPrefix(e.Text, "fault ") || strings.HasPrefix(e.Text, "simnet ") {
			return "fault"
		}
		return "note"
	case scheduler.EvTimer:
		return "timer"
	case scheduler.EvFail:
		return "fail"
	}
	return ""
}
