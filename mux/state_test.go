package mux

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestStateTransitions walks the DRPC stream state machine (state.go) without tasks: each
// row applies events from the open state and checks the action of the last one and what
// Send and Recv report afterwards. The expectations are storj's TestStream_StateTransitions
// with gRPC's error semantics (DESIGN §6.3).
func TestStateTransitions(t *testing.T) {
	canceled := statusOf(context.Canceled)
	remote := Errorf(NotFound, "nf")
	died := unavailable(errors.New("eof"))
	cases := []struct {
		name       string
		events     []event
		cause      error
		act        action
		terminated bool
		sendErr    error // nil: sending still allowed
		recvErr    error // nil: receiving still allowed
		recvNow    bool
	}{
		{"open", nil, nil, actNone, false, nil, nil, false},
		{"local CloseSend", []event{evCloseSend}, nil, actCloseSend, false, errSendClosed, nil, false},
		{"CloseSend twice", []event{evCloseSend, evCloseSend}, nil, actNone, false, errSendClosed, nil, false},
		{"remote CloseSend", []event{evRemoteCloseSend}, nil, actNone, false, nil, io.EOF, false},
		{"both CloseSend", []event{evCloseSend, evRemoteCloseSend}, nil, actNone, true, errSendClosed, io.EOF, false},
		{"local Close", []event{evClose}, nil, actClose, true, errClosed, errClosed, false},
		{"handler error", []event{evError}, remote, actError, true, io.EOF, io.EOF, false},
		{"cancel", []event{evCancel}, canceled, actCancel, true, io.EOF, canceled, true},
		{"cancel after remote CloseSend", []event{evRemoteCloseSend, evCancel}, canceled, actCancel, true, io.EOF, canceled, true},
		{"remote Close", []event{evRemoteClose}, nil, actDrop, true, io.EOF, io.EOF, false},
		{"remote Error", []event{evRemoteError}, remote, actDrop, true, io.EOF, remote, false},
		{"remote Cancel", []event{evRemoteCancel}, nil, actDrop, true, io.EOF, nil, true},
		{"connection died", []event{evConnDied}, died, actDrop, true, io.EOF, died, false},
		{"connection died after remote CloseSend", []event{evRemoteCloseSend, evConnDied}, died, actDrop, true, io.EOF, io.EOF, false},
		{"overflow", []event{evOverflow}, nil, actRefuse, true, io.EOF, nil, true},
		{"overflow after remote CloseSend", []event{evRemoteCloseSend, evOverflow}, nil, actRefuse, true, io.EOF, nil, true},
		{"too large", []event{evTooLarge}, nil, actRefuse, true, io.EOF, nil, true},
		{"too large after local CloseSend", []event{evCloseSend, evTooLarge}, nil, actRefuse, true, errSendClosed, nil, true},
		{"handler done", []event{evDone}, nil, actCloseSend, true, errClosed, errClosed, true},
		{"handler done after CloseSend", []event{evCloseSend, evDone}, nil, actNone, true, errSendClosed, errClosed, true},
		{"nothing after termination", []event{evClose, evRemoteError}, remote, actNone, true, errClosed, errClosed, false},
		{"unary CloseSend with the invoke", []event{evSentCloseSend}, nil, actNone, false, errSendClosed, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st state
			act := actNone
			for _, ev := range c.events {
				st, act = st.apply(ev, c.cause)
			}
			if act != c.act || st.terminated != c.terminated {
				t.Fatalf("action %d terminated %v, want %d %v", act, st.terminated, c.act, c.terminated)
			}
			if (c.sendErr == nil) == st.sendClosed || c.sendErr != nil && st.sendErr != c.sendErr {
				t.Fatalf("send: closed %v err %v, want %v", st.sendClosed, st.sendErr, c.sendErr)
			}
			switch {
			case c.name == "remote Cancel":
				// The cause is built inside apply: check its class.
				if CodeOf(st.recvErr) != Canceled || !st.recvNow {
					t.Fatalf("recv: %v now %v, want code %v at once", st.recvErr, st.recvNow, Canceled)
				}
			case c.act == actRefuse:
				// The peer broke a limit: Recv reports it at once, and it is the Error the
				// stream sends, so its code and message must say which limit.
				want := "receive buffer overflow"
				if c.events[len(c.events)-1] == evTooLarge {
					want = "larger than the packet limit"
				}
				if CodeOf(st.recvErr) != ResourceExhausted || !strings.Contains(st.recvErr.Error(), want) || !st.recvNow {
					t.Fatalf("recv: %v now %v, want ResourceExhausted with %q at once", st.recvErr, st.recvNow, want)
				}
			case (c.recvErr == nil) == st.recvClosed || c.recvErr != nil && st.recvErr != c.recvErr || st.recvNow != c.recvNow:
				t.Fatalf("recv: closed %v err %v now %v, want %v now %v", st.recvClosed, st.recvErr, st.recvNow, c.recvErr, c.recvNow)
			}
		})
	}
}

// TestCodeOf checks how errors map to codes, including the context errors a caller sees.
func TestCodeOf(t *testing.T) {
	for _, c := range []struct {
		err  error
		code Code
	}{
		{nil, OK},
		{Errorf(NotFound, "x"), NotFound},
		{context.Canceled, Canceled},
		{statusOf(context.DeadlineExceeded), DeadlineExceeded},
		{errors.New("plain"), Unknown},
		{remoteError(0, "no code"), Unknown},
		{remoteError(7, "denied"), PermissionDenied},
		{unavailable(io.EOF), Unavailable},
	} {
		if got := CodeOf(c.err); got != c.code {
			t.Errorf("CodeOf(%v) = %v, want %v", c.err, got, c.code)
		}
	}
	if !errors.Is(statusOf(context.Canceled), context.Canceled) {
		t.Error("a Canceled status does not unwrap to context.Canceled")
	}
}
