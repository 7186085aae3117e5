package scenarios

import (
	"context"
	"fmt"
	"io"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"muxsim/mux"
	"muxsim/mux/wire"
	"muxsim/sim"
	"muxsim/simnet"
)

func init() {
	register(&Scenario{
		Name: "mux-hostile-peer",
		Doc: "A server accepts a good client and a hostile one on the same listener; the hostile " +
			"peer sends a seeded attack (garbage, an over-long varint, stream 0, an unknown " +
			"non-control kind, an oversized packet, a frame for an unknown stream). The server " +
			"ends that connection only, the good client's calls all succeed, and nothing leaks.",
		Body: hostilePeer,
	})
}

// attacks are byte strings a hostile peer may send; the first four must end its
// connection, the others must be shrugged off.
func attacks() [][]byte {
	frame := func(f wire.Frame) []byte { return wire.AppendFrame(nil, f) }
	return [][]byte{
		// Garbage: 'G' reads as kind 35 without the control bit, then a 32-byte frame.
		append([]byte("GET / HTTP/1.1\r\n\r\n"), make([]byte, 64)...),
		append([]byte{0x05}, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), // 11-byte varint
		frame(wire.Frame{ID: wire.ID{Stream: 0, Message: 1}, Kind: wire.KindMessage, Done: true}),
		frame(wire.Frame{ID: wire.ID{Stream: 1, Message: 1}, Kind: 20, Done: true}), // unknown, no control bit
		append(frame(wire.Frame{ID: wire.ID{Stream: 9, Message: 1}, Kind: wire.KindMessage, Done: true}),
			frame(wire.Frame{ID: wire.ID{Stream: 9, Message: 2}, Kind: wire.KindCancel, Control: true, Done: true})...), // unknown stream
		frame(wire.Frame{ID: wire.ID{Stream: 3, Message: 1}, Kind: 21, Control: true, Done: true}), // unknown control kind
	}
}

func hostilePeer(rt *sim.Runtime) {
	n := simnet.NewNetwork(rt, simnet.NetOptions{Plan: func(from, to string) simnet.Plan {
		return simnet.Plan{Latency: sim.Duration(100)}
	}})
	lis, err := n.Listen("server:1")
	if err != nil {
		rt.Fail(err.Error())
		return
	}
	opts := mux.Options{Runtime: rt}
	server := mux.NewServer(muxService(rt), opts)
	ctx, stop := context.WithCancel(context.Background())
	serving := rt.NewGroup("server")
	serving.Go("serve", func() { _ = server.Serve(ctx, lis) })
	defer serving.Wait()
	defer stop()

	attack := rt.Rand("attack").IntN(len(attacks()))
	fatal := attack < 4
	peers := rt.NewGroup("peers")
	peers.Go("hostile", func() {
		c, err := n.Dial(context.Background(), "evil", "server:1")
		if err != nil {
			rt.Fail("hostile dial: " + err.Error())
			return
		}
		defer c.Close()
		_, _ = c.Write(attacks()[attack])
		if !fatal {
			return
		}
		// The server must hang up on it: reading ends (EOF or reset), it does not hang.
		_, err = io.ReadAll(c)
		rt.Always(!simnet.IsTimeout(err), fmt.Sprintf("hostile read: %v", err))
	})
	good, err := n.Dial(context.Background(), "good", "server:1")
	if err != nil {
		rt.Fail("good dial: " + err.Error())
		return
	}
	client := mux.NewClient(good, opts)
	for i := range 10 {
		var out wrapperspb.StringValue
		tag := fmt.Sprint("call-", i)
		err := client.Invoke(context.Background(), "/svc/Echo", wrapperspb.String(tag), &out)
		rt.Always(err == nil && out.Value == "echo:"+tag, fmt.Sprintf("good client, %s beside attack %d: %q %v", tag, attack, out.Value, err))
	}
	peers.Wait()
	client.Close()
}
