package mux

import "io"

// state is a stream's DRPC state machine, as a pure value: (state, event) → (state,
// actions). The stream applies the actions (frames to send, errors to report) and the
// transitions are tested without tasks (state_test.go). The states of drpcstream's
// state.dot map onto the flags:
//
//	open         neither half closed
//	send-closed  sendClosed (we sent CloseSend)
//	recv-closed  recvClosed (the peer sent CloseSend)
//	terminated   terminated, by both halves closing, Close, Error or a connection failure
//	canceled     terminated by Cancel, in either direction
//
// (finished, the last state, is the stream leaving its connection's registry: the stream
// does that as soon as it is terminated.)
type state struct {
	sendClosed bool // no more messages from this side
	recvClosed bool // no more messages from the peer
	terminated bool
	canceled   bool

	sendErr error // what Send returns once sendClosed
	recvErr error // what Recv returns once the queue is drained and recvClosed
	recvNow bool  // recvErr is returned at once, queued messages discarded
}

// event is something that happens to a stream.
type event uint8

const (
	evCloseSend       event = iota + 1 // we close our sending half
	evClose                            // we close the stream
	evError                            // we end the stream with an error (server handler)
	evCancel                           // our context is done: abortive
	evRemoteCloseSend                  // the peer closed its sending half
	evRemoteClose                      // the peer closed the stream
	evRemoteError                      // the peer ended the stream with an error
	evRemoteCancel                     // the peer cancelled
	evConnDied                         // the connection ended under the stream
	evOverflow                         // the peer overran our receive bound
	evDone                             // a server handler returned: CloseSend, stop receiving
	evSentCloseSend                    // CloseSend went out with the invoke (unary): no action
	evTooLarge                         // the peer sent a packet over PacketMax
)

// action says which frame the stream must send after a transition.
type action uint8

const (
	actNone action = iota
	actCloseSend
	actClose
	actError
	actCancel // drop queued data, then Cancel (if the peer has heard of the stream)
	actDrop   // drop queued data, send nothing: the peer is gone or done
	actRefuse // drop queued data, then Error with the receive error: the peer broke a limit
)

// apply returns the state after ev and the frame to send. err is the cause for evError
// (the handler's error), evCancel (the context's error, already a status), evRemoteError
// (the peer's error) and evConnDied (the connection's error). For evOverflow and
// evTooLarge apply builds the cause itself: actRefuse sends the new state's recvErr.
func (st state) apply(ev event, err error) (state, action) {
	if st.terminated {
		return st, actNone
	}
	switch ev {
	case evCloseSend:
		if st.sendClosed {
			return st, actNone
		}
		st.sendClosed, st.sendErr = true, errSendClosed
		if st.recvClosed {
			st.terminated = true
		}
		return st, actCloseSend
	case evClose:
		st.end(errClosed, errClosed, false)
		return st, actClose
	case evError:
		st.end(io.EOF, io.EOF, false)
		return st, actError
	case evCancel:
		st.end(io.EOF, err, true)
		st.canceled = true
		return st, actCancel
	case evRemoteCloseSend:
		st.recvClosed, st.recvErr = true, io.EOF
		if st.sendClosed {
			st.terminated = true
		}
		return st, actNone
	case evRemoteClose:
		st.end(io.EOF, io.EOF, false)
		return st, actDrop
	case evRemoteError:
		st.end(io.EOF, err, false)
		return st, actDrop
	case evRemoteCancel:
		st.end(io.EOF, statusOf(errCanceledByPeer), true)
		st.canceled = true
		return st, actDrop
	case evConnDied:
		// Nothing received is lost: the queued messages are read first, then the
		// connection's error (or io.EOF if the peer had finished sending).
		st.end(io.EOF, err, false)
		return st, actDrop
	case evDone:
		act := actNone
		if !st.sendClosed {
			act = actCloseSend
		}
		st.end(errClosed, errClosed, true)
		return st, act
	case evSentCloseSend:
		st, _ = st.apply(evCloseSend, nil)
		return st, actNone
	case evOverflow:
		// The peer hears why, in an Error frame, rather than a Cancel that a stock DRPC
		// client reports as "context canceled" or a bare "EOF" (v1.0.0's unary Invoke).
		st.end(io.EOF, Errorf(ResourceExhausted, "receive buffer overflow: the peer sent more than the stream may buffer"), true)
		return st, actRefuse
	case evTooLarge:
		st.end(io.EOF, Errorf(ResourceExhausted, "the peer sent a message larger than the packet limit"), true)
		return st, actRefuse
	}
	panic("mux: unknown stream event")
}

// end terminates the stream: Send returns sendErr, Recv returns recvErr (at once when now,
// else after the queued messages).
func (st *state) end(sendErr, recvErr error, now bool) {
	if !st.sendClosed {
		st.sendErr = sendErr
	}
	st.sendClosed = true
	if !st.recvClosed || now {
		st.recvErr, st.recvNow = recvErr, now
	}
	st.recvClosed = true
	st.terminated = true
}
