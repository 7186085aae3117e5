package mux

import (
	"context"
	"fmt"
	"net"
	"testing"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/muxsim/muxsim/mux/wire"
	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

const floodMsg = 16 << 10

// slowConsumer is the acceptance test of flow control (issue 5): one stream's consumer
// never reads while 15 others each complete rounds round trips on the same connection.
// The stalled stream's sender must be blocked by its window and nothing else; the
// buffers must stay under their bounds, measured by the connections' peaks.
func slowConsumer(rt *sim.Runtime, cli, srv net.Conn, rounds int) error {
	opts := Options{Runtime: rt}
	opts = opts.withDefaults()
	r := echoRouter() // its /echo/Bidi serves the busy streams
	sent := 0
	floodBlocked := rt.NewEvent("flood sent its window")
	ServerStream(r, "/flow/Flood", func(ctx context.Context, in *str, send func(*wrapperspb.BytesValue) error) error {
		for {
			if err := send(wrapperspb.Bytes(make([]byte, floodMsg))); err != nil {
				return err
			}
			sent++
			if sent*floodMsg >= opts.StreamWindow {
				floodBlocked.Fire()
			}
		}
	})
	server := NewServer(r, opts)
	var sconn *conn
	server.onConn = func(c *conn) { sconn = c }
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
	c := NewClient(cli, opts)
	defer func() { c.Close(); serving.Wait() }()

	ctx, cancelFlood := context.WithCancel(context.Background())
	defer cancelFlood()
	flood, err := c.NewStream(ctx, "/flow/Flood")
	if err != nil {
		return err
	}
	if err := flood.Send(wrapperspb.String("go")); err != nil {
		return err
	}
	flood.CloseSend() // and never read
	if err := rt.Wait(context.Background(), floodBlocked); err != nil {
		return err
	}
	if err := echoStreams(rt, c, 15, rounds); err != nil {
		return err
	}
	// The flood's sender got a window's worth out, plus the one message the writer takes
	// into an empty queue, and is blocked since: 15 x rounds round trips later, no more.
	if limit := opts.StreamWindow/floodMsg + 2; sent > limit {
		return fmt.Errorf("the stalled stream's sender sent %d messages of %d bytes, over its window (%d)", sent, floodMsg, limit)
	}
	cp, sp := c.Peaks(), sconn.Peaks()
	if cp.StreamQueued > opts.StreamWindow+floodMsg {
		return fmt.Errorf("the client held %d bytes for one stream, over the window %d", cp.StreamQueued, opts.StreamWindow)
	}
	if sp.WriterPending > opts.WriterBufferMax+floodMsg || cp.WriterPending > opts.WriterBufferMax {
		return fmt.Errorf("writer peaks %d (server), %d (client) over the bound %d", sp.WriterPending, cp.WriterPending, opts.WriterBufferMax)
	}
	return nil
}

func TestSlowConsumerIsolationSimulated(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		var o sim.Options
		o.Seed = seed
		var err error
		v := sim.Run(o, func(rt *sim.Runtime) {
			cli, srv := simnet.Pipe(rt, "c", simnet.Plan{})
			err = slowConsumer(rt, cli, srv, 1000)
		})
		if !v.OK() || err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, v.Report())
		}
	}
}

func TestSlowConsumerIsolationReal(t *testing.T) { realTest(t, testSlowConsumerIsolationReal) }

func testSlowConsumerIsolationReal(t *testing.T) {
	cli, srv := net.Pipe()
	if err := slowConsumer(sim.Real(), cli, srv, 1000); err != nil {
		t.Fatal(err)
	}
}

// recorder keeps every byte written through a connection.
type recorder struct {
	net.Conn
	rt  *sim.Runtime
	mu  *sim.Mutex
	out []byte
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	r.out = append(r.out, p...)
	r.mu.Unlock()
	return r.Conn.Write(p)
}

// TestCancelOvertakesBulkData checks that a cancel in the middle of a 64 MiB send reaches
// the peer before the send would have finished: on the wire, the Cancel frame of the
// stream comes before the message's last frame would have.
func TestCancelOvertakesBulkData(t *testing.T) {
	const size = 64 << 20
	var o sim.Options
	o.Seed = 1
	var cancelAt, msgBytes int
	var err error
	v := sim.Run(o, func(rt *sim.Runtime) {
		opts := Options{Runtime: rt, PacketMax: size}
		received := rt.NewEvent("bulk started")
		server := NewServer(HandlerFunc(func(s *Stream, rpc string) error {
			received.Fire()
			_, err := s.RecvBytes()
			return err
		}), opts)
		cli, srv := simnet.Pipe(rt, "c", simnet.Plan{Bandwidth: 1 << 30})
		rec := &recorder{Conn: cli, rt: rt, mu: rt.NewMutex("recorder")}
		serving := rt.NewGroup("server")
		serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
		c := NewClient(rec, opts)
		ctx, cancel := context.WithCancel(context.Background())
		s, _ := c.NewStream(ctx, "/bulk")
		g := rt.NewGroup("sender")
		g.Go("sender", func() { _ = s.SendBytes(make([]byte, size)) })
		_ = rt.Wait(context.Background(), received)
		_ = rt.Sleep(context.Background(), 10*sim.Micros(1000)) // 10ms of a transfer that takes about 64ms
		cancel()
		if _, err := s.RecvBytes(); CodeOf(err) != Canceled {
			t.Errorf("recv after cancel: %v", err)
		}
		g.Wait()
		c.Close()
		serving.Wait()
		// Replay the client's bytes: count the message's data before the Cancel frame.
		buf := rec.out
		for len(buf) > 0 {
			rest, fr, ok, perr := wire.ParseFrame(buf)
			if perr != nil || !ok {
				err = fmt.Errorf("unparsable client bytes: %v", perr)
				return
			}
			buf = rest
			if fr.Kind == wire.KindMessage {
				msgBytes += len(fr.Data)
			}
			if fr.Kind == wire.KindCancel && cancelAt == 0 {
				cancelAt = msgBytes
			}
		}
	})
	if !v.OK() || err != nil {
		t.Fatalf("%v\n%s", err, v.Report())
	}
	if cancelAt == 0 || cancelAt >= size || msgBytes >= size {
		t.Fatalf("cancel went out after %d of %d bytes (%d sent in all)", cancelAt, size, msgBytes)
	}
	t.Logf("cancel overtook the send after %d of %d bytes", cancelAt, size)
}

// TestLargeFinalMessageGetsItsCredit: a unary response larger than the window is the
// stream's last packet; the stream ends (both sides closed) while the response still
// waits for credit, and the peer's window updates must still reach it. (Found by the
// bench module: responses over 256 KiB hung.)
func TestLargeFinalMessageGetsItsCredit(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		var o sim.Options
		o.Seed = seed
		var err error
		v := sim.Run(o, func(rt *sim.Runtime) {
			r := NewRouter()
			Unary(r, "/big", func(ctx context.Context, in *wrapperspb.Int64Value) (*wrapperspb.BytesValue, error) {
				return wrapperspb.Bytes(make([]byte, in.Value)), nil
			})
			cli, srv := simnet.Pipe(rt, "c", simnet.Plan{})
			opts := Options{Runtime: rt}
			server := NewServer(r, opts)
			serving := rt.NewGroup("server")
			serving.Go("serve", func() { _ = server.ServeOne(context.Background(), srv) })
			c := NewClient(cli, opts)
			var out wrapperspb.BytesValue
			err = c.Invoke(context.Background(), "/big", wrapperspb.Int64(1<<20), &out)
			if err == nil && len(out.Value) != 1<<20 {
				err = fmt.Errorf("got %d bytes", len(out.Value))
			}
			c.Close()
			serving.Wait()
		})
		if !v.OK() || err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, v.Report())
		}
	}
}
