// Package trace writes a simulated run's events as files a person or a tool can read: JSON
// lines, the Chrome trace-event format, and a self-contained HTML timeline.
//
// Each writer takes the run's *scheduler.Verdict; the events are in Verdict.Events only
// when the run had Options.Log set (a failing seed is re-run with logging on). Output
// depends on the verdict alone, so the same run gives the same bytes.
//
//   - WriteJSONL: one JSON object per event, numbered by step and stamped with virtual
//     time, then one line with the verdict. For grep, jq and scripts.
//   - WriteChrome: the Chrome trace-event format. Open it at ui.perfetto.dev with "Open
//     trace file" (or in chrome://tracing). Each task is a thread; its slices are the
//     stretches in which it held the CPU; notes, timers and the failure are instants;
//     frames are flow arrows from the sending task to the receiving one.
//   - WriteHTML: a single page with its data, style and script inline, to open offline in
//     any browser: a lane per task (name, spawn site, client or server side), bars where
//     it ran, marks where it blocked (on what, held by whom), resumed, and took or
//     released a mutex, labelled arrows for frames, a red line at the failing step and
//     the failure message at the top; under the lanes, a failed run's live tasks and
//     held mutexes, and the list of events.
//
// # The time axis
//
// Virtual time stands still for most of a run (thousands of scheduling decisions happen
// at the same instant), so the Chrome and HTML views lay events out by step, the number
// of scheduling decisions taken, and show virtual time beside it: in the Chrome format a
// step is one nanosecond of trace time and virtual time is in each event's args; in the
// page the axis labels both and hovering shows both.
//
// A task holds the CPU from the EvRun that chose it until the next EvRun choosing another
// task (that EvRun's step), or until the step after its own EvBlock or EvExit, or the end
// of the trace: a stretch covers the steps [from, to), so stretches never overlap and each is
// at least one step wide. The scheduler records no EvRun when an uncontended decision
// resumes the task that ran last, so a note, block or exit of a task that holds no
// stretch opens one at its step.
package trace
