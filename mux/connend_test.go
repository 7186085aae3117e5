package mux

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/muxsim/muxsim/mux/wire"
)

// TestServeOneReportsTheEnd checks what ServeOne returns and Options.OnConnEnd sees, on
// the real runtime over net.Pipe: nil when the client hangs up; a ProtocolError when the
// client sends a frame with stream ID 0, which the protocol forbids; and the context's
// error when ServeOne's context ends it.
func TestServeOneReportsTheEnd(t *testing.T) {
	for _, c := range []struct {
		name    string
		client  func(net.Conn, context.CancelFunc)
		want    func(error) bool
		hookErr func(error) bool
	}{
		{"hang-up", func(cl net.Conn, _ context.CancelFunc) { cl.Close() },
			func(err error) bool { return err == nil }, func(err error) bool { return err == nil }},
		{"protocol", func(cl net.Conn, _ context.CancelFunc) {
			cl.Write(wire.AppendFrame(nil, wire.Frame{Kind: wire.KindMessage, Done: true}))
		}, func(err error) bool { return ProtocolError.Has(err) }, func(err error) bool { return ProtocolError.Has(err) }},
		{"context", func(_ net.Conn, cancel context.CancelFunc) { cancel() },
			func(err error) bool { return true }, func(err error) bool { return errors.Is(err, context.Canceled) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, srv := net.Pipe()
			defer cl.Close()
			var seen error
			calls := 0
			sv := NewServer(HandlerFunc(func(*Stream, string) error { return nil }),
				Options{OnConnEnd: func(peer net.Addr, cause error) { calls, seen = calls+1, cause }})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- sv.ServeOne(ctx, srv) }()
			go func() { // drain what the server writes, so that its writer never blocks
				buf := make([]byte, 4096)
				for {
					if _, err := cl.Read(buf); err != nil {
						return
					}
				}
			}()
			c.client(cl, cancel)
			err := <-done
			if !c.want(err) {
				t.Errorf("ServeOne returned %v", err)
			}
			if calls != 1 || !c.hookErr(seen) {
				t.Errorf("OnConnEnd called %d times, last with %v", calls, seen)
			}
		})
	}
}
