package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

func init() {
	register(&Scenario{
		Name: "echo",
		Doc: "Three clients exchange messages with an echo server over a simulated network whose " +
			"connections get random fault plans (delays, splits, clogs, failures). A completed " +
			"exchange returns exactly the bytes sent; a broken one fails with a documented " +
			"network error, never a wrong byte; every task exits.",
		Body: echo,
	})
}

func echo(rt *sim.Runtime) {
	const clients, msgs = 3, 10
	plans := rt.Rand("plans")
	n := simnet.NewNetwork(rt, simnet.NetOptions{Plan: func(from, to string) simnet.Plan {
		return simnet.RandomPlan(plans, simnet.Profile{})
	}})
	l, err := n.Listen("server:7")
	if err != nil {
		rt.Fail(err.Error())
	}
	servers := rt.NewGroup("servers")
	servers.Go("acceptor", func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			servers.Go("echo", func() {
				defer c.Close()
				_, err := io.Copy(c, c)
				rt.Always(err == nil || networkError(err), fmt.Sprintf("echo server ended with %v", err))
			})
		}
	})
	clientsG := rt.NewGroup("clients")
	done := make([]bool, clients) // one flag per client: they run in parallel for the race detector
	for i := range clients {
		clientsG.Go(fmt.Sprintf("client-%d", i), func() {
			c, err := n.Dial(context.Background(), fmt.Sprintf("client%d", i), "server:7")
			if err != nil {
				rt.Fail("dial: " + err.Error())
				return
			}
			defer c.Close()
			// The client writes from its own task while it reads the echoes: writing a whole
			// message before reading deadlocks once it exceeds both directions' buffers (the
			// seeds with a small random buffer found exactly that).
			msg := func(m int) []byte { return bytes.Repeat([]byte{byte('a' + m)}, 10+m*100) }
			writer := rt.NewGroup("writer")
			var werr error
			writer.Go(fmt.Sprintf("client-%d-writer", i), func() {
				for m := range msgs {
					if _, werr = c.Write(msg(m)); werr != nil {
						c.Close()
						return
					}
				}
			})
			defer writer.Wait()
			for m := range msgs {
				got := make([]byte, len(msg(m)))
				if _, err := io.ReadFull(c, got); err != nil {
					rt.Always(networkError(err), fmt.Sprintf("read failed with %v", err))
					c.Close()
					return
				}
				rt.Always(bytes.Equal(got, msg(m)), fmt.Sprintf("client %d message %d echoed wrong bytes", i, m))
			}
			writer.Wait()
			rt.Always(werr == nil, fmt.Sprintf("write failed after every echo arrived: %v", werr))
			done[i] = true
		})
	}
	clientsG.Wait()
	completed := 0
	for _, d := range done {
		if d {
			completed++
		}
	}
	rt.Sometimes(completed == clients, "every echo client completed")
	rt.Sometimes(completed < clients, "an echo client saw its connection break")
	l.Close()
	servers.Wait()
}

// networkError reports whether err is one a broken connection may legitimately return.
func networkError(err error) bool {
	for _, e := range []error{simnet.ErrReset, simnet.ErrBrokenPipe, net.ErrClosed, io.EOF, io.ErrUnexpectedEOF} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
