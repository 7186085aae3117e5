package mux

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

type str = wrapperspb.StringValue

// echoRouter serves the four RPC kinds the tests use.
func echoRouter() *Router {
	r := NewRouter()
	Unary(r, "/echo/Unary", func(ctx context.Context, in *str) (*str, error) {
		if strings.HasPrefix(in.Value, "fail:") {
			return nil, Errorf(InvalidArgument, "%s", strings.TrimPrefix(in.Value, "fail:"))
		}
		md := IncomingMetadata(ctx)
		return wrapperspb.String("echo:" + in.Value + md["k"]), nil
	})
	ClientStream(r, "/echo/Concat", func(ctx context.Context, recv func() (*str, error)) (*str, error) {
		var b strings.Builder
		for {
			m, err := recv()
			if err == io.EOF {
				return wrapperspb.String(b.String()), nil
			}
			if err != nil {
				return nil, err
			}
			b.WriteString(m.Value)
		}
	})
	ServerStream(r, "/echo/Repeat", func(ctx context.Context, in *str, send func(*str) error) error {
		for i := range 3 {
			if err := send(wrapperspb.String(fmt.Sprintf("%s%d", in.Value, i))); err != nil {
				return err
			}
		}
		return nil
	})
	Bidi(r, "/echo/Bidi", func(ctx context.Context, recv func() (*str, error), send func(*str) error) error {
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
	})
	return r
}

// pair connects a client and a server over tr (client end) / srv (server end) and
// returns the client and a function that closes both and waits for the server.
func pair(rt *sim.Runtime, cli, srv net.Conn) (*Client, func()) {
	opts := Options{Runtime: rt}
	server := NewServer(echoRouter(), opts)
	g := rt.NewGroup("server")
	g.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	c := NewClient(cli, opts)
	return c, func() { c.Close(); g.Wait() }
}

func exerciseAllKinds(rt *sim.Runtime, c *Client) error {
	ctx := WithMetadata(context.Background(), "k", "+md")
	var out str
	if err := c.Invoke(ctx, "/echo/Unary", wrapperspb.String("hi"), &out); err != nil || out.Value != "echo:hi+md" {
		return fmt.Errorf("unary: %q %v", out.Value, err)
	}
	err := c.Invoke(ctx, "/echo/Unary", wrapperspb.String("fail:bad"), &out)
	var e *Error
	if !errors.As(err, &e) || e.Code != InvalidArgument || e.Msg != "bad" {
		return fmt.Errorf("unary error: %v", err)
	}
	s, err := c.NewStream(ctx, "/echo/Concat")
	if err != nil {
		return err
	}
	for _, p := range []string{"a", "b", "c"} {
		if err := s.Send(wrapperspb.String(p)); err != nil {
			return fmt.Errorf("concat send: %v", err)
		}
	}
	s.CloseSend()
	if err := s.Recv(&out); err != nil || out.Value != "abc" {
		return fmt.Errorf("concat: %q %v", out.Value, err)
	}
	if err := s.Recv(&out); err != io.EOF {
		return fmt.Errorf("concat end: %v", err)
	}
	s, _ = c.NewStream(ctx, "/echo/Repeat")
	s.Send(wrapperspb.String("r"))
	s.CloseSend()
	for i := range 3 {
		if err := s.Recv(&out); err != nil || out.Value != fmt.Sprintf("r%d", i) {
			return fmt.Errorf("repeat %d: %q %v", i, out.Value, err)
		}
	}
	if err := s.Recv(&out); err != io.EOF {
		return fmt.Errorf("repeat end: %v", err)
	}
	s, _ = c.NewStream(ctx, "/echo/Bidi")
	for i := range 5 {
		v := fmt.Sprint(i)
		if err := s.Send(wrapperspb.String(v)); err != nil {
			return err
		}
		if err := s.Recv(&out); err != nil || out.Value != v {
			return fmt.Errorf("bidi %d: %q %v", i, out.Value, err)
		}
	}
	s.CloseSend()
	if err := s.Recv(&out); err != io.EOF {
		return fmt.Errorf("bidi end: %v", err)
	}
	return nil
}

func TestEchoRealPipe(t *testing.T) { realTest(t, testEchoRealPipe) }

func testEchoRealPipe(t *testing.T) {
	cli, srv := net.Pipe()
	c, done := pair(sim.Real(), cli, srv)
	defer done()
	if err := exerciseAllKinds(sim.Real(), c); err != nil {
		t.Fatal(err)
	}
}

func TestEchoSimulated(t *testing.T) {
	for seed := uint64(1); seed <= 50; seed++ {
		var o sim.Options
		o.Seed = seed
		var err error
		v := sim.Run(o, func(rt *sim.Runtime) {
			cli, srv := simnet.Pipe(rt, "c", simnet.RandomPlan(rt.Rand("plan"), simnet.Profile{NoFailures: true}))
			c, done := pair(rt, cli, srv)
			err = exerciseAllKinds(rt, c)
			done()
		})
		if !v.OK() {
			t.Fatalf("seed %d: %s", seed, v.Report())
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}
