package bench

import (
	"fmt"
	"net"
)

// transport makes a connected pair of net.Conns: the client's end and the server's.
type transport struct {
	name string
	pair func() (cli, srv net.Conn, err error)
}

var (
	// tcp is a real TCP connection on the loopback interface (Go sets TCP_NODELAY).
	tcp = transport{name: "tcp", pair: tcpPair}
	// pipe is net.Pipe: in memory, synchronous and unbuffered, so every write waits for
	// the peer's read. It takes the kernel out of the measurement.
	pipe = transport{name: "pipe", pair: pipePair}

	transports = []transport{tcp, pipe}
)

// tcpPair listens on 127.0.0.1, dials itself once and closes the listener.
func tcpPair() (cli, srv net.Conn, err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer lis.Close()
	type accepted struct {
		c   net.Conn
		err error
	}
	ch := make(chan accepted, 1)
	go func() {
		c, err := lis.Accept()
		ch <- accepted{c, err}
	}()
	cli, err = net.Dial("tcp", lis.Addr().String())
	if err != nil {
		_ = lis.Close() // unblocks the Accept
		<-ch
		return nil, nil, err
	}
	a := <-ch
	if a.err != nil {
		_ = cli.Close()
		return nil, nil, fmt.Errorf("accept: %w", a.err)
	}
	return cli, a.c, nil
}

func pipePair() (cli, srv net.Conn, err error) {
	cli, srv = net.Pipe()
	return cli, srv, nil
}
