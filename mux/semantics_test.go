package mux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/scheduler"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// The engine's error-semantics table (DESIGN §6.3; reference/drpc.md §5.5, §1.8, §2): for
// each row, a server behaviour, the client's steps, and the class of error every step
// must return. The classes are the gRPC-compat harness's, so a row reads like its table:
// after the caller cancels, Send is EOF and Recv/unary are Canceled (DeadlineExceeded for
// deadlines); a unary call is never EOF; after a handler error, Send is EOF and Recv is
// that error with its code, every time; a client that loses its connection sees
// Unavailable and a handler whose client went away sees Canceled.
//
// Every row runs on a fresh connection, through one runner (semRun) that both harnesses
// share: TestSemanticsReal on real goroutines over net.Pipe, TestSemanticsSimulated
// under the scheduler over a simnet pipe for seeds 1-50 and both batons. The runner waits
// for the handler's progress through events the handler fires, never by sleeping; a wait
// that should end is bounded by semGuard, so a hang fails with a message, not a timeout.

// semGuard bounds a wait that must end (a handler reaching a point, a context that must
// be cancelled). It is a liveness bound, not a timing assertion: correct runs never come
// near it, and under simulation it is virtual time.
const semGuard = 10 * time.Second

// semClass is the class of a step's outcome. A step expects a set of classes (a mask),
// almost always a single one.
type semClass uint8

const (
	semNone        semClass = 1 << iota // no error
	semCanceled                         // CodeOf Canceled and errors.Is(err, context.Canceled)
	semDeadline                         // CodeOf DeadlineExceeded and errors.Is(err, context.DeadlineExceeded)
	semEOF                              // err == io.EOF, exactly
	semMarker                           // the row's handler error: an *Error with its code and message
	semUnavailable                      // CodeOf Unavailable
	semOther                            // anything else

	semAnyError = semCanceled | semDeadline | semEOF | semMarker | semUnavailable | semOther
)

var semClassNames = []string{"None", "Canceled", "DeadlineExceeded", "EOF", "Marker", "Unavailable", "Other"}

func (c semClass) String() string {
	var names []string
	for i, name := range semClassNames {
		if c&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, "|")
}

// semClassify returns the class of err; marker, when not nil, is the handler error the
// row expects (Code and Msg).
func semClassify(err error, marker *Error) semClass {
	switch {
	case err == nil:
		return semNone
	case err == io.EOF:
		return semEOF
	}
	var e *Error
	if marker != nil && errors.As(err, &e) && e.Code == marker.Code && e.Msg == marker.Msg {
		return semMarker
	}
	switch CodeOf(err) {
	case Canceled:
		if errors.Is(err, context.Canceled) {
			return semCanceled
		}
	case DeadlineExceeded:
		if errors.Is(err, context.DeadlineExceeded) {
			return semDeadline
		}
	case Unavailable:
		return semUnavailable
	}
	return semOther
}

// semKind is the shape of a row's RPC, registered with the router's matching helper.
type semKind uint8

const (
	semUnary semKind = iota
	semClientStream
	semServerStream
	semBidi
)

func (k semKind) rpc() string {
	return [...]string{"/sem/Unary", "/sem/ClientStream", "/sem/ServerStream", "/sem/Bidi"}[k]
}

// semEvent is a point a handler announces, for the client's steps to wait on.
type semEvent uint8

const (
	semBlocked semEvent = iota // the handler is about to block on its context
	semReady                   // the handler has received the client's first message
	semCtxDone                 // the handler's context is done (or the guard expired)
	semEventCount
)

var semEventNames = [semEventCount]string{"blocked", "ready", "ctx-done"}

// semOp is what a client step does.
type semOp uint8

const (
	semOpCancel        semOp = iota + 1 // cancel the call's context
	semOpDeadline                       // give the call's context a deadline d from now (rt.WithTimeout)
	semOpCancelOn                       // a helper task cancels the call's context once the handler fires ev
	semOpInvoke                         // a unary Invoke on the call's context
	semOpOpen                           // NewStream on the call's context
	semOpSend                           // Send msg
	semOpRecv                           // Recv; msg is the expected message when the class is None
	semOpCloseSend                      // CloseSend
	semOpAwait                          // wait until the handler fires ev
	semOpCloseClientTr                  // close the client's transport under the engine
	semOpCloseServerTr                  // close the server's transport under the engine
	semOpClientClose                    // Client.Close
)

// semStep is one client step and the classes it may return.
type semStep struct {
	op   semOp
	msg  string
	ev   semEvent
	d    time.Duration
	want semClass
}

func (st semStep) String() string {
	switch st.op {
	case semOpCancel:
		return "cancel"
	case semOpDeadline:
		return fmt.Sprintf("deadline(%v)", st.d)
	case semOpCancelOn:
		return "cancel-on(" + semEventNames[st.ev] + ")"
	case semOpInvoke:
		return "invoke"
	case semOpOpen:
		return "open"
	case semOpSend:
		return fmt.Sprintf("send(%q)", st.msg)
	case semOpRecv:
		return "recv"
	case semOpCloseSend:
		return "close-send"
	case semOpAwait:
		return "await(" + semEventNames[st.ev] + ")"
	case semOpCloseClientTr:
		return "close-client-transport"
	case semOpCloseServerTr:
		return "close-server-transport"
	case semOpClientClose:
		return "client-close"
	}
	return fmt.Sprintf("op %d", st.op)
}

// The steps, as tiny constructors so that a row reads as its table line.
func semCancelStep() semStep                  { return semStep{op: semOpCancel, want: semNone} }
func semDeadlineStep(d time.Duration) semStep { return semStep{op: semOpDeadline, d: d, want: semNone} }
func semCancelOn(ev semEvent) semStep         { return semStep{op: semOpCancelOn, ev: ev, want: semNone} }
func semInvoke(want semClass) semStep         { return semStep{op: semOpInvoke, msg: "req", want: want} }
func semOpen(want semClass) semStep           { return semStep{op: semOpOpen, want: want} }
func semSend(msg string, want semClass) semStep {
	return semStep{op: semOpSend, msg: msg, want: want}
}
func semRecv(msg string) semStep       { return semStep{op: semOpRecv, msg: msg, want: semNone} }
func semRecvErr(want semClass) semStep { return semStep{op: semOpRecv, want: want} }
func semCloseSend() semStep            { return semStep{op: semOpCloseSend, want: semNone} }
func semAwait(ev semEvent) semStep     { return semStep{op: semOpAwait, ev: ev, want: semNone} }
func semCloseClientTransport() semStep { return semStep{op: semOpCloseClientTr, want: semNone} }
func semCloseServerTransport() semStep { return semStep{op: semOpCloseServerTr, want: semNone} }
func semClientClose() semStep          { return semStep{op: semOpClientClose, want: semNone} }

// semRow is one line of the table.
type semRow struct {
	name   string
	kind   semKind
	server func(h *semHandler) error
	// marker is what the client must see of the handler's error (class Marker).
	marker *Error
	steps  []semStep
	// serverLog is what the handler must have noted, in order (see semHandler.note);
	// nil leaves it unchecked, for rows where the handler may or may not have run.
	serverLog []string
	// runs is how many times the handler must have run; -1 leaves it unchecked.
	runs int
}

// Server behaviours the rows share.

// semBlock announces it is blocking on its context, waits for it, and returns err.
func semBlock(err error) func(h *semHandler) error {
	return func(h *semHandler) error {
		h.fire(semBlocked)
		h.waitCtx()
		return err
	}
}

// semFail returns err at once.
func semFail(err error) func(h *semHandler) error {
	return func(*semHandler) error { return err }
}

// semWatchRecv receives the client's first message, announces it, then notes what a
// second Recv returns and waits for its context.
func semWatchRecv(h *semHandler) error {
	if _, err := h.recv(); err != nil {
		return err
	}
	h.fire(semReady)
	_, err := h.recv()
	h.note("recv", err)
	h.waitCtx()
	return nil
}

// semEcho sends back every message until the client's CloseSend.
func semEcho(h *semHandler) error {
	for {
		m, err := h.recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := h.send(m); err != nil {
			return err
		}
	}
}

var semNF = &Error{Code: NotFound, Msg: "nf"}
var semMark = &Error{Code: Aborted, Msg: "marker"}

// semTable is the error-semantics table. Row numbers are the brief's.
func semTable() []semRow {
	return []semRow{
		{ // 1: a call whose context is already done never starts (B3).
			name: "unary_canceled_before_call", kind: semUnary, server: semFail(nil),
			steps: []semStep{semCancelStep(), semInvoke(semCanceled)},
			runs:  0, serverLog: []string{},
		},
		{ // 2: the cancel reaches the handler.
			name: "unary_cancel_while_handler_blocks", kind: semUnary, server: semBlock(nil),
			steps:     []semStep{semCancelOn(semBlocked), semInvoke(semCanceled), semAwait(semCtxDone)},
			serverLog: []string{"ctx Canceled"}, runs: 1,
		},
		{ // 3: a deadline is DeadlineExceeded, not Canceled. (The handler may not have run
			// if the deadline beat the invoke, so the server side is unchecked.)
			name: "unary_deadline", kind: semUnary, server: semBlock(nil),
			steps: []semStep{semDeadlineStep(50 * time.Millisecond), semInvoke(semDeadline)},
			runs:  -1,
		},
		{ // 3b: the same on a stream: Recv DeadlineExceeded, Send EOF.
			name: "stream_deadline", kind: semBidi, server: semBlock(nil),
			steps: []semStep{semDeadlineStep(50 * time.Millisecond), semOpen(semNone),
				semRecvErr(semDeadline), semSend("x", semEOF), semRecvErr(semDeadline)},
			runs: -1,
		},
		{ // 4: a handler's *Error keeps its code and message.
			name: "unary_handler_error_code", kind: semUnary, server: semFail(Errorf(NotFound, "nf")),
			marker: semNF, steps: []semStep{semInvoke(semMarker)},
			serverLog: []string{}, runs: 1,
		},
		{ // 4b: a plain error is Unknown with its text.
			name: "unary_handler_plain_error", kind: semUnary, server: semFail(errors.New("boom")),
			marker: &Error{Code: Unknown, Msg: "boom"}, steps: []semStep{semInvoke(semMarker)},
			serverLog: []string{}, runs: 1,
		},
		{ // 5: Cancel_ErrorAfterCancel: the handler's later error does not replace Canceled.
			name: "cancel_error_after_cancel", kind: semBidi, server: semBlock(Errorf(Aborted, "marker")),
			marker: semMark,
			steps: []semStep{semOpen(semNone), semAwait(semBlocked), semCancelStep(),
				semRecvErr(semCanceled), semSend("x", semEOF), semAwait(semCtxDone),
				semRecvErr(semCanceled), semSend("x", semEOF)},
			serverLog: []string{"ctx Canceled"}, runs: 1,
		},
		{ // 6: Cancel_CancelAfterError: a cancel after the error does not replace it.
			name: "cancel_cancel_after_error", kind: semBidi, server: semFail(Errorf(Aborted, "marker")),
			marker: semMark,
			steps: []semStep{semOpen(semNone), semRecvErr(semMarker), semSend("x", semEOF),
				semCancelStep(), semRecvErr(semMarker), semSend("x", semEOF)},
			serverLog: []string{}, runs: 1,
		},
		{ // 7: Cancel_CancelAfterSuccess. (What the handler's Recv gets depends on whether
			// the client's message beat the cancel; it is not noted.)
			name: "cancel_cancel_after_success", kind: semBidi,
			server: func(h *semHandler) error {
				if err := h.send("out:2"); err != nil {
					return err
				}
				_, _ = h.recv()
				h.waitCtx()
				return nil
			},
			steps: []semStep{semOpen(semNone), semRecv("out:2"), semSend("in", semNone), semCancelStep(),
				semRecvErr(semCanceled), semSend("x", semEOF), semAwait(semCtxDone)},
			serverLog: []string{"ctx Canceled"}, runs: 1,
		},
		{ // 8: Error_ErrorPassedBack, read twice: the error stays.
			name: "error_passed_back", kind: semBidi, server: semFail(Errorf(Aborted, "marker")),
			marker: semMark,
			steps: []semStep{semOpen(semNone), semRecvErr(semMarker), semSend("x", semEOF),
				semRecvErr(semMarker), semSend("x", semEOF)},
			serverLog: []string{}, runs: 1,
		},
		{ // 9: server stream: Recv ok, cancel, Recv, Recv.
			name: "server_stream_cancel", kind: semServerStream,
			server: func(h *semHandler) error {
				if err := h.send("s0"); err != nil {
					return err
				}
				h.waitCtx()
				return nil
			},
			steps: []semStep{semOpen(semNone), semSend("req", semNone), semCloseSend(), semRecv("s0"),
				semCancelStep(), semRecvErr(semCanceled), semRecvErr(semCanceled), semAwait(semCtxDone)},
			serverLog: []string{"ctx Canceled"}, runs: 1,
		},
		{ // 10: bidi: open, cancel at once, Send, Recv, Send. The invoke may or may not
			// have left, so the handler is unchecked.
			name: "bidi_cancel_at_once", kind: semBidi, server: semBlock(nil),
			steps: []semStep{semOpen(semNone), semCancelStep(), semSend("x", semEOF),
				semRecvErr(semCanceled), semSend("x", semEOF)},
			runs: -1,
		},
		{ // 11: client stream: Send, cancel, Send, CloseAndRecv.
			name: "client_stream_cancel", kind: semClientStream,
			server: func(h *semHandler) error {
				for {
					if _, err := h.recv(); err != nil {
						return err
					}
				}
			},
			steps: []semStep{semOpen(semNone), semSend("a", semNone), semCancelStep(), semSend("b", semEOF),
				semCloseSend(), semRecvErr(semCanceled)},
			runs: -1,
		},
		{ // 12: the server's CloseSend (its handler returning nil): Recv drains, then EOF;
			// our half stays open, so Send still succeeds (storj: "recv CloseSend → send OK").
			name: "remote_close_send", kind: semBidi,
			server: func(h *semHandler) error {
				for _, m := range []string{"m1", "m2"} {
					if err := h.send(m); err != nil {
						return err
					}
				}
				return nil
			},
			steps: []semStep{semOpen(semNone), semRecv("m1"), semRecv("m2"), semRecvErr(semEOF),
				semSend("late", semNone), semRecvErr(semEOF)},
			serverLog: []string{}, runs: 1,
		},
		{ // 13: our CloseSend: Send fails, Recv still gets the replies, then EOF.
			name: "local_close_send", kind: semBidi, server: semEcho,
			steps: []semStep{semOpen(semNone), semSend("a", semNone), semSend("b", semNone), semCloseSend(),
				semSend("c", semAnyError), semRecv("a"), semRecv("b"), semRecvErr(semEOF)},
			serverLog: []string{}, runs: 1,
		},
		{ // 14: the connection dies under a stream: the client sees Unavailable, Send is
			// EOF (the stream has ended), new streams are Unavailable; the handler Canceled.
			name: "connection_lost", kind: semBidi, server: semWatchRecv,
			steps: []semStep{semOpen(semNone), semSend("x", semNone), semAwait(semReady), semCloseServerTransport(),
				semRecvErr(semUnavailable), semSend("y", semEOF), semRecvErr(semUnavailable),
				semAwait(semCtxDone), semOpen(semUnavailable)},
			serverLog: []string{"recv Canceled", "ctx Canceled"}, runs: 1,
		},
		{ // 15: the client's transport closes mid-call: the handler's Recv is Canceled and
			// its context done; the client itself sees Unavailable.
			name: "client_went_away", kind: semBidi, server: semWatchRecv,
			steps: []semStep{semOpen(semNone), semSend("x", semNone), semAwait(semReady), semCloseClientTransport(),
				semAwait(semCtxDone), semRecvErr(semUnavailable), semSend("y", semEOF)},
			serverLog: []string{"recv Canceled", "ctx Canceled"}, runs: 1,
		},
		{ // 16: Client.Close mid-call: calls in flight fail with Canceled (client.go's
			// doc), and the handler sees its client go away.
			name: "client_close_mid_call", kind: semBidi, server: semWatchRecv,
			steps: []semStep{semOpen(semNone), semSend("x", semNone), semAwait(semReady), semClientClose(),
				semRecvErr(semCanceled), semSend("y", semEOF), semAwait(semCtxDone)},
			serverLog: []string{"recv Canceled", "ctx Canceled"}, runs: 1,
		},
	}
}

// semServer is the server side of one run: the events its handler fires and what it
// noted. Everything is read after the server has stopped, under mu.
type semServer struct {
	rt     *sim.Runtime
	events [semEventCount]*sim.Event
	mu     *sim.Mutex
	runs   int
	log    []string
}

func newSemServer(rt *sim.Runtime) *semServer {
	srv := &semServer{rt: rt, mu: rt.NewMutex("sem server")}
	for i := range srv.events {
		srv.events[i] = rt.NewEvent("handler " + semEventNames[i])
	}
	return srv
}

// semHandler is one run of a row's handler, whatever the RPC's shape: recv and send
// are the stream's (a unary's request comes once, then io.EOF; a unary's or client
// stream's send sets the response).
type semHandler struct {
	*semServer
	ctx    context.Context
	recvFn func() (*str, error)
	sendFn func(*str) error
}

func (h *semHandler) recv() (string, error) {
	m, err := h.recvFn()
	if err != nil {
		return "", err
	}
	return m.Value, nil
}

func (h *semHandler) send(v string) error { return h.sendFn(wrapperspb.String(v)) }
func (h *semHandler) fire(ev semEvent)    { h.events[ev].Fire() }

// note records what the handler saw: "what CLASS".
func (h *semHandler) note(what string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = append(h.log, what+" "+semClassify(err, nil).String())
}

// waitCtx waits (at most semGuard) for the handler's context, notes its error, and
// fires semCtxDone.
func (h *semHandler) waitCtx() {
	guard, cancel := h.rt.WithTimeout(h.ctx, semGuard)
	_, _ = h.rt.Select(guard)
	cancel()
	if err := h.ctx.Err(); err != nil {
		h.note("ctx", err)
	} else {
		h.mu.Lock()
		h.log = append(h.log, fmt.Sprintf("ctx not done after %v", semGuard))
		h.mu.Unlock()
	}
	h.fire(semCtxDone)
}

// router registers the row's handler under the helper for its RPC's shape.
func (row *semRow) router(srv *semServer) *Router {
	r := NewRouter()
	run := func(ctx context.Context, recv func() (*str, error), send func(*str) error) error {
		srv.mu.Lock()
		srv.runs++
		srv.mu.Unlock()
		return row.server(&semHandler{semServer: srv, ctx: ctx, recvFn: recv, sendFn: send})
	}
	reply := func(ctx context.Context, recv func() (*str, error)) (*str, error) {
		out := wrapperspb.String("")
		if err := run(ctx, recv, func(m *str) error { out = m; return nil }); err != nil {
			return nil, err
		}
		return out, nil
	}
	once := func(in *str) func() (*str, error) {
		done := false
		return func() (*str, error) {
			if done {
				return nil, io.EOF
			}
			done = true
			return in, nil
		}
	}
	switch row.kind {
	case semUnary:
		Unary(r, row.kind.rpc(), func(ctx context.Context, in *str) (*str, error) { return reply(ctx, once(in)) })
	case semClientStream:
		ClientStream(r, row.kind.rpc(), reply)
	case semServerStream:
		ServerStream(r, row.kind.rpc(), func(ctx context.Context, in *str, send func(*str) error) error {
			return run(ctx, once(in), send)
		})
	case semBidi:
		Bidi(r, row.kind.rpc(), run)
	}
	return r
}

// semCall is the client side of one run.
type semCall struct {
	rt           *sim.Runtime
	row          *semRow
	srv          *semServer
	c            *Client
	cliTr, srvTr net.Conn
	ctx          context.Context
	cancel       context.CancelFunc // cancels ctx, whatever deadline was added
	cancels      []context.CancelFunc
	stop         context.Context // done at teardown: ends the helpers' waits
	helpers      *sim.Group
	s            *Stream
}

// semRun runs one row on the connection cliTr–srvTr and returns the first discrepancy,
// with the transcript of the steps that led to it.
func semRun(rt *sim.Runtime, row *semRow, cliTr, srvTr net.Conn) error {
	srv := newSemServer(rt)
	opts := Options{Runtime: rt}
	server := NewServer(row.router(srv), opts)
	serving := rt.NewGroup("sem server")
	serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srvTr) })

	k := &semCall{rt: rt, row: row, srv: srv, c: NewClient(cliTr, opts), cliTr: cliTr, srvTr: srvTr,
		helpers: rt.NewGroup("sem helpers")}
	var stop context.CancelFunc
	k.stop, stop = context.WithCancel(context.Background())
	k.ctx, k.cancel = context.WithCancel(context.Background())
	err := k.runSteps()

	// Teardown: the client closes first (which ends the connection, its streams and, by
	// EOF, the server), then the contexts are released.
	stop()
	_ = k.c.Close()
	k.cancel()
	for _, cancel := range k.cancels {
		cancel()
	}
	serving.Wait()
	k.helpers.Wait()
	if err != nil {
		return err
	}
	return srv.check(row)
}

func (k *semCall) runSteps() error {
	var transcript []string
	for i, st := range k.row.steps {
		value, err := k.exec(st)
		got := semClassify(err, k.row.marker)
		entry := fmt.Sprintf("%s=%s", st, got)
		if err != nil {
			entry += fmt.Sprintf("(%v)", err)
		}
		transcript = append(transcript, entry)
		bad := got&st.want == 0
		if !bad && got == semNone && st.op == semOpRecv && value != st.msg {
			bad = true
			transcript[i] += fmt.Sprintf(" message %q, want %q", value, st.msg)
		}
		if bad {
			return fmt.Errorf("step %d %s: got %s, want %s\ntranscript: %s",
				i+1, st, got, st.want, strings.Join(transcript, ", "))
		}
	}
	return nil
}

// exec performs one step; the value is what a Recv or Invoke received.
func (k *semCall) exec(st semStep) (string, error) {
	switch st.op {
	case semOpCancel:
		k.cancel()
	case semOpDeadline:
		ctx, cancel := k.rt.WithTimeout(k.ctx, st.d)
		k.ctx = ctx
		k.cancels = append(k.cancels, cancel)
	case semOpCancelOn:
		cancel, ev := k.cancel, k.srv.events[st.ev]
		k.helpers.Go("cancel on "+semEventNames[st.ev], func() {
			guard, stop := k.rt.WithTimeout(k.stop, semGuard)
			defer stop()
			if k.rt.Wait(guard, ev) == nil {
				cancel()
			}
		})
	case semOpInvoke:
		var out str
		err := k.c.Invoke(k.ctx, k.row.kind.rpc(), wrapperspb.String(st.msg), &out)
		return out.Value, err
	case semOpOpen:
		s, err := k.c.NewStream(k.ctx, k.row.kind.rpc())
		if err == nil {
			k.s = s
		}
		return "", err
	case semOpSend:
		if k.s == nil {
			return "", errors.New("no stream")
		}
		return "", k.s.Send(wrapperspb.String(st.msg))
	case semOpRecv:
		if k.s == nil {
			return "", errors.New("no stream")
		}
		var m str
		err := k.s.Recv(&m)
		return m.Value, err
	case semOpCloseSend:
		if k.s == nil {
			return "", errors.New("no stream")
		}
		return "", k.s.CloseSend()
	case semOpAwait:
		guard, stop := k.rt.WithTimeout(k.stop, semGuard)
		defer stop()
		if err := k.rt.Wait(guard, k.srv.events[st.ev]); err != nil {
			return "", fmt.Errorf("the handler did not reach %q within %v", semEventNames[st.ev], semGuard)
		}
	case semOpCloseClientTr:
		_ = k.cliTr.Close()
	case semOpCloseServerTr:
		_ = k.srvTr.Close()
	case semOpClientClose:
		return "", k.c.Close()
	default:
		panic("semantics: unknown step")
	}
	return "", nil
}

// check compares what the server side did with the row's expectations.
func (srv *semServer) check(row *semRow) error {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if row.runs >= 0 && srv.runs != row.runs {
		return fmt.Errorf("the handler ran %d times, want %d (log %q)", srv.runs, row.runs, srv.log)
	}
	if row.serverLog != nil && strings.Join(srv.log, "; ") != strings.Join(row.serverLog, "; ") {
		return fmt.Errorf("the handler noted %q, want %q", srv.log, row.serverLog)
	}
	return nil
}

// TestSemanticsReal runs the table on real goroutines over net.Pipe.
func TestSemanticsReal(t *testing.T) {
	for _, row := range semTable() {
		t.Run(row.name, func(t *testing.T) {
			realTest(t, func(t *testing.T) {
				cli, srv := net.Pipe()
				if err := semRun(sim.Real(), &row, cli, srv); err != nil {
					t.Fatalf("%v\nreplay: go test ./mux -run 'TestSemanticsReal/%s$' -count=1", err, row.name)
				}
			})
		})
	}
}

// TestSemanticsSimulated runs the table under the scheduler over a fault-free simnet pipe,
// seeds 1-50, both batons. Fault points are off: the table is the healthy engine's
// contract, and an injected fault would rightly change the classes.
func TestSemanticsSimulated(t *testing.T) {
	for _, row := range semTable() {
		t.Run(row.name, func(t *testing.T) {
			for _, baton := range []scheduler.Baton{scheduler.BatonCoroutine, scheduler.BatonChannel} {
				for seed := uint64(1); seed <= 50; seed++ {
					var o sim.Options
					o.Seed = seed
					o.Baton = baton
					o.Faults.Off = true
					var err error
					v := sim.Run(o, func(rt *sim.Runtime) {
						cli, srv := simnet.Pipe(rt, "sem", simnet.Plan{})
						err = semRun(rt, &row, cli, srv)
					})
					replay := fmt.Sprintf("seed=%d baton=%s; replay: go test ./mux -run 'TestSemanticsSimulated/%s$' -count=1",
						seed, baton, row.name)
					if !v.OK() {
						t.Fatalf("%s\n%s", v.Report(), replay)
					}
					if err != nil {
						t.Fatalf("%v\n%s", err, replay)
					}
				}
			}
		})
	}
}
