package bench

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"
)

// The echo service. Every stack serves it under the same names with the same messages
// (protobuf BytesValue, marshalled by google.golang.org/protobuf on every stack), so that
// the stacks differ only in their engines.
//
//   - Unary returns its request.
//   - ClientStream reads tagged messages (see tag) until the client's CloseSend and
//     returns their count and total size (see counts); a mistagged message fails it.
//   - ServerStream takes a request of counts{n, size} and sends n tagged messages of
//     size bytes.
//   - Bidi echoes every message until the client's CloseSend.
const (
	rpcUnary        = "/bench.Echo/Unary"
	rpcClientStream = "/bench.Echo/ClientStream"
	rpcServerStream = "/bench.Echo/ServerStream"
	rpcBidi         = "/bench.Echo/Bidi"
)

type msg = wrapperspb.BytesValue

// Limits on what a ServerStream request may ask for, so that a corrupt request cannot
// make a server loop or allocate without bound.
const (
	streamMessagesMax = 1 << 40
	messageBytesMax   = 4 << 20
)

// stack is one RPC implementation under comparison.
type stack struct {
	name string
	// serve starts a server of the echo service on tr; stop waits until it has returned
	// (after the client hung up) and fails if it does not return in time.
	serve func(tr net.Conn) (stop func() error)
	// dial starts a client on tr, which it owns from then on.
	dial func(tr net.Conn) (client, error)
	// streamsPerConnMax is how many RPCs a connection carries at once; 0 means no limit.
	// storj.io/drpc v1.0.0 runs one at a time, so its concurrent callers get a
	// connection each.
	streamsPerConnMax int
}

// client is a stack's calling end of one connection.
type client interface {
	unary(ctx context.Context, in, out *msg) error
	newStream(ctx context.Context, rpc string) (stream, error)
	close() error
}

// stream is a client's end of one streaming RPC.
type stream interface {
	send(m *msg) error
	recv(m *msg) error
	closeSend() error
	close() error
}

// tag marks message i of a stream in its first and last bytes (len(v) >= 2).
func tag(v []byte, i int) {
	v[0] = byte(i)
	v[len(v)-1] = byte(i >> 8)
}

func checkTag(v []byte, i, size int) error {
	if len(v) != size || len(v) < 2 || v[0] != byte(i) || v[len(v)-1] != byte(i>>8) {
		return fmt.Errorf("message %d: got %d bytes tagged %d/%d, want %d bytes tagged %d/%d",
			i, len(v), firstByte(v), lastByte(v), size, byte(i), byte(i>>8))
	}
	return nil
}

func firstByte(v []byte) byte {
	if len(v) == 0 {
		return 0
	}
	return v[0]
}

func lastByte(v []byte) byte {
	if len(v) == 0 {
		return 0
	}
	return v[len(v)-1]
}

// counts encodes two numbers as a message: a ServerStream request (messages, size) or a
// ClientStream response (messages, bytes).
func counts(a, b int) *msg {
	v := binary.BigEndian.AppendUint64(nil, uint64(a))
	return &msg{Value: binary.BigEndian.AppendUint64(v, uint64(b))}
}

func parseCounts(m *msg) (a, b int, err error) {
	if len(m.Value) != 16 {
		return 0, 0, fmt.Errorf("counts: got %d bytes, want 16", len(m.Value))
	}
	x, y := binary.BigEndian.Uint64(m.Value), binary.BigEndian.Uint64(m.Value[8:])
	if x > streamMessagesMax || y > streamMessagesMax*messageBytesMax {
		return 0, 0, fmt.Errorf("counts: %d, %d out of range", x, y)
	}
	return int(x), int(y), nil
}

// The handlers' bodies, shared by the stacks' adapters. recv returns a new message each
// time, as generated code does on all three stacks.

func sinkMessages(recv func() (*msg, error)) (*msg, error) {
	n, total := 0, 0
	for {
		m, err := recv()
		if err == io.EOF {
			return counts(n, total), nil
		}
		if err != nil {
			return nil, err
		}
		if err := checkTag(m.Value, n, len(m.Value)); err != nil {
			return nil, err
		}
		n++
		total += len(m.Value)
	}
}

func sourceMessages(req *msg, send func(*msg) error) error {
	n, size, err := parseCounts(req)
	if err != nil {
		return err
	}
	if size < 2 || size > messageBytesMax {
		return fmt.Errorf("message size %d out of range", size)
	}
	// One message is reused: every stack marshals it before its send returns.
	m := &msg{Value: make([]byte, size)}
	for i := range n {
		tag(m.Value, i)
		if err := send(m); err != nil {
			return err
		}
	}
	return nil
}

func echoMessages(recv func() (*msg, error), send func(*msg) error) error {
	for {
		m, err := recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := send(m); err != nil {
			return err
		}
	}
}

// session is a client of a server of one stack, over one watched connection.
type session struct {
	client
	dog *watchdog
}

// connect starts a server of st on a fresh connection of tp and a client of it, makes
// one unary call (so that connection setup is not measured), and arranges for both to be
// closed, and the server awaited, when tb ends.
func connect(tb testing.TB, st stack, tp transport) *session {
	tb.Helper()
	cliTr, srvTr, err := tp.pair()
	if err != nil {
		tb.Fatal(err)
	}
	stop := st.serve(srvTr)
	dog, cliTr := watch(cliTr)
	cl, err := st.dial(cliTr)
	if err != nil {
		dog.close()
		_ = cliTr.Close()
		_ = stop()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		dog.close()
		// A stalled connection was closed under the client, which may then say so.
		if err := cl.close(); err != nil && !dog.stalled.Load() {
			tb.Errorf("%s: close client: %v", st.name, err)
		}
		if err := stop(); err != nil {
			tb.Errorf("%s: %v", st.name, err)
		}
	})
	in, out := &msg{Value: []byte("warm")}, new(msg)
	if err := cl.unary(context.Background(), in, out); err != nil {
		tb.Fatalf("%s over %s: warm-up call: %v", st.name, tp.name, dog.explain(err))
	}
	return &session{cl, dog}
}

// stopTimeout bounds how long a server may take to return after its client hung up
// before it is cancelled and reported.
const stopTimeout = 5 * time.Second

// runServer runs serve in a goroutine and returns the function that awaits it: it waits
// for serve to return by itself (its client hangs up first), then cancels its context
// and reports the server as stuck.
func runServer(serve func(ctx context.Context)) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		serve(ctx)
	}()
	return func() error {
		defer cancel()
		select {
		case <-done:
			return nil
		case <-time.After(stopTimeout):
		}
		cancel()
		select {
		case <-done:
			return errors.New("server did not return after its client hung up; it did once cancelled")
		case <-time.After(stopTimeout):
			return errors.New("server did not return after its client hung up, nor once cancelled")
		}
	}
}
