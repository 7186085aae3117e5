package scenarios

import (
	"errors"
	"fmt"
	"io"

	"github.com/muxsim/muxsim/mux"
)

// The sequential model behind TestProperty: each stream's observed results checked
// against the service's answers (propservice_test.go) and the error semantics of
// mux/semantics_test.go's table.

// result is one action a slot's task performed, as it observed it. start and end are
// the steps (rt.Step) around it: the coordinates that order it against the slot's
// canceller and the connection's task.
type result struct {
	a          action
	tag        string // the message sent, the call's request
	got        string // the message received, the call's response
	err        error
	start, end uint64
}

func (r result) String() string {
	out := "ok"
	if r.err != nil {
		out = fmt.Sprintf("%v (%v)", r.err, mux.CodeOf(r.err))
	} else if r.got != "" || r.a.Op == opRecv {
		out = fmt.Sprintf("%q", r.got)
	}
	tag := ""
	if r.tag != "" {
		tag = fmt.Sprintf("[%s]", r.tag)
	}
	return fmt.Sprintf("%v%s=%s @%d-%d", r.a, tag, out, r.start, r.end)
}

// slotObs is what a slot's task observed; cancelAt is the step at which its canceller
// cancelled, 0 if none did.
type slotObs struct {
	kind     rpcKind
	results  []result
	cancelAt uint64
}

// connObs says at which steps the connection's task closed the client and broke the
// transport, 0 for never.
type connObs struct{ closeAt, breakAt uint64 }

// env is what may have happened to a stream by the end of one of its actions, outside
// its task: its context cancelled (before the action began: mustCancel), the connection
// closed or broken.
type env struct{ cancel, mustCancel, closed, broken bool }

func envAt(cancelAt uint64, c connObs, r result) env {
	return env{
		cancel:     cancelAt != 0 && cancelAt < r.end,
		mustCancel: cancelAt != 0 && cancelAt < r.start,
		closed:     c.closeAt != 0 && c.closeAt < r.end,
		broken:     c.breakAt != 0 && c.breakAt < r.end,
	}
}

// excused reports whether err is explained by what happened outside the task: Canceled
// after the slot's cancel or Client.Close, Unavailable after a broken transport.
func (e env) excused(err error) bool {
	return isCode(err, mux.Canceled) && (e.cancel || e.closed) || isCode(err, mux.Unavailable) && e.broken
}

// streamModel is one stream as the model sees it: the messages the server was sent (the
// Sends that returned nil), whether we closed our half, how many replies we read, and
// the sticky outcomes.
type streamModel struct {
	kind     rpcKind
	in       []string
	closed   bool
	consumed int
	recvErr  error
	sendEOF  bool
}

// checkSlot checks a slot's results, in order, against the model.
func checkSlot(sl *slotObs, c connObs) error {
	m := streamModel{kind: sl.kind}
	for _, r := range sl.results {
		if err := m.check(r, envAt(sl.cancelAt, c, r)); err != nil {
			return fmt.Errorf("%v: %v", r, err)
		}
		m.observe(r)
	}
	return nil
}

// observe advances the model past a result, whether or not it was right: the slot's
// task uses it too, to tell whether a Recv can return (recvReady).
func (m *streamModel) observe(r result) {
	switch r.a.Op {
	case opSend, opFail:
		if r.err == nil && !m.closed {
			m.in = append(m.in, r.tag)
		} else if r.err == io.EOF {
			m.sendEOF = true
		}
	case opCloseSend:
		m.closed = true
	case opRecv:
		if r.err == nil {
			m.consumed++
		} else if m.recvErr == nil {
			m.recvErr = r.err
		}
	}
}

// recvReady reports whether a Recv can return by itself: a reply is due, or the stream
// has ended. Otherwise only a cancel or the connection's end can wake it.
func (m *streamModel) recvReady() bool {
	rep := serverReply(m.kind, m.in, m.closed)
	return m.recvErr != nil || m.sendEOF || m.consumed < len(rep.out) || rep.done
}

// check checks one result against the model, which it does not change.
func (m *streamModel) check(r result, e env) error {
	switch {
	case m.kind == kindUnary:
		return checkCall(r, e)
	case r.a.Op == opOpen:
		if r.err == nil && e.mustCancel {
			return errors.New("NewStream on a cancelled context succeeded")
		}
		if r.err != nil && !e.excused(r.err) {
			return errors.New("NewStream failed")
		}
	case r.a.Op == opSend || r.a.Op == opFail:
		return m.checkSend(r, e)
	case r.a.Op == opCloseSend:
		if r.err != nil {
			return errors.New("CloseSend failed")
		}
	case r.a.Op == opRecv:
		return m.checkRecv(r, e)
	}
	return nil
}

// checkCall checks a unary call: the exact response or error, Canceled if its context
// was cancelled before it began, and never io.EOF.
func checkCall(r result, e env) error {
	switch {
	case e.mustCancel && !isCode(r.err, mux.Canceled):
		return errors.New("a call on a cancelled context did not return Canceled")
	case r.a.Op == opFail && isReply(r.err, reply{code: mux.InvalidArgument, msg: "rejected " + r.tag}):
	case r.a.Op != opFail && r.err == nil && r.got == "echo:"+r.tag:
	case !e.excused(r.err):
		return errors.New("wrong response")
	}
	return nil
}

func (m *streamModel) checkSend(r result, e env) error {
	switch {
	case m.closed:
		if r.err == nil {
			return errors.New("Send after CloseSend succeeded")
		}
	case m.sendEOF:
		if r.err != io.EOF {
			return errors.New("Send after an io.EOF Send did not return io.EOF")
		}
	case r.err == nil:
		if e.mustCancel {
			return errors.New("Send on a cancelled context succeeded")
		}
	case r.err == io.EOF:
		if !e.cancel && !e.closed && !e.broken && serverReply(m.kind, m.in, m.closed).code == mux.OK {
			return errors.New("Send returned io.EOF on a stream nothing ended")
		}
	default:
		return errors.New("Send returned neither nil nor io.EOF")
	}
	return nil
}

func (m *streamModel) checkRecv(r result, e env) error {
	if m.recvErr != nil {
		if !sameError(r.err, m.recvErr) {
			return fmt.Errorf("Recv changed its error from %v", m.recvErr)
		}
		return nil
	}
	rep := serverReply(m.kind, m.in, m.closed)
	if r.err == nil {
		switch {
		case m.consumed >= len(rep.out) || r.got != rep.out[m.consumed]:
			return fmt.Errorf("Recv got a message the handler did not send (want reply %d of %q)", m.consumed, rep.out)
		case e.mustCancel && !rep.done && !e.closed && !e.broken:
			return errors.New("Recv returned a message after its context was cancelled")
		}
		return nil
	}
	if rep.done && m.consumed == len(rep.out) && isReply(r.err, rep) || e.excused(r.err) {
		return nil
	}
	return fmt.Errorf("Recv error does not match the handler's reply %+v", rep)
}
