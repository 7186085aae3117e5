package scenarios

import (
	"net"

	"github.com/muxsim/muxsim/sim"
	"github.com/muxsim/muxsim/simnet"
)

// connPair returns the two ends of a connection: a simulated pipe with plan under
// simulation, and a loopback TCP connection under the real runtime (RunReal), where the
// plan does not apply, so that the same scenario checks the engine over real sockets.
func connPair(rt *sim.Runtime, plan simnet.Plan) (client, server net.Conn) {
	if rt.Simulated() {
		return simnet.Pipe(rt, "conn", plan)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		rt.Fail("listen on loopback: " + err.Error())
	}
	defer lis.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := lis.Accept()
		if err != nil {
			c = nil
		}
		accepted <- c
	}()
	client, err = net.Dial("tcp", lis.Addr().String())
	if err != nil {
		rt.Fail("dial loopback: " + err.Error())
	}
	if server = <-accepted; server == nil {
		client.Close()
		rt.Fail("accept on loopback failed")
	}
	return client, server
}
