package mux

import (
	"context"
	"io"
	"slices"

	"google.golang.org/protobuf/proto"
)

// Router is a Handler that dispatches RPCs by name to typed handlers registered with
// Unary, ClientStream, ServerStream and Bidi. Register before serving; a Router is
// read-only afterwards.
type Router struct {
	methods map[string]func(s *Stream) error
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{methods: make(map[string]func(*Stream) error)} }

// HandleRPC serves rpc, or fails it with Unimplemented if nothing is registered for it.
func (r *Router) HandleRPC(s *Stream, rpc string) error {
	m := r.methods[rpc]
	if m == nil {
		return Errorf(Unimplemented, "unknown rpc %q", rpc)
	}
	return m(s)
}

// Methods returns the registered RPC names, sorted.
func (r *Router) Methods() []string {
	var out []string
	for name := range r.methods {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func (r *Router) register(rpc string, m func(*Stream) error) {
	if _, dup := r.methods[rpc]; dup {
		panic("mux: rpc " + rpc + " registered twice")
	}
	r.methods[rpc] = m
}

// newMessage returns a new, empty M (a pointer to a generated protobuf struct).
func newMessage[M proto.Message]() M {
	var zero M
	return zero.ProtoReflect().New().Interface().(M)
}

// recvInto receives one M from s; io.EOF when the client has closed its side.
func recvInto[M proto.Message](s *Stream) (M, error) {
	m := newMessage[M]()
	if err := s.Recv(m); err != nil {
		var zero M
		return zero, err
	}
	return m, nil
}

// Unary registers a handler that takes one request and returns one response.
func Unary[In, Out proto.Message](r *Router, rpc string, fn func(ctx context.Context, in In) (Out, error)) {
	r.register(rpc, func(s *Stream) error {
		in, err := recvInto[In](s)
		if err != nil {
			return noRequest(err)
		}
		out, err := fn(s.Context(), in)
		if err != nil {
			return err
		}
		return s.Send(out)
	})
}

// ClientStream registers a handler that reads requests until recv returns io.EOF and
// returns one response.
func ClientStream[In, Out proto.Message](r *Router, rpc string, fn func(ctx context.Context, recv func() (In, error)) (Out, error)) {
	r.register(rpc, func(s *Stream) error {
		out, err := fn(s.Context(), func() (In, error) { return recvInto[In](s) })
		if err != nil {
			return err
		}
		return s.Send(out)
	})
}

// ServerStream registers a handler that takes one request and sends any number of
// responses.
func ServerStream[In, Out proto.Message](r *Router, rpc string, fn func(ctx context.Context, in In, send func(Out) error) error) {
	r.register(rpc, func(s *Stream) error {
		in, err := recvInto[In](s)
		if err != nil {
			return noRequest(err)
		}
		return fn(s.Context(), in, func(m Out) error { return s.Send(m) })
	})
}

// Bidi registers a handler that receives and sends freely.
func Bidi[In, Out proto.Message](r *Router, rpc string, fn func(ctx context.Context, recv func() (In, error), send func(Out) error) error) {
	r.register(rpc, func(s *Stream) error {
		return fn(s.Context(), func() (In, error) { return recvInto[In](s) }, func(m Out) error { return s.Send(m) })
	})
}

// noRequest is the error of a call that ended before its request arrived.
func noRequest(err error) error {
	if err == io.EOF {
		return Errorf(InvalidArgument, "the call ended without a request")
	}
	return err
}
