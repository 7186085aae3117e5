// Calls the schedule cannot see into, for simrun test -explain: a process, a network
// dial and a pipe; and calls it can (strings, a command being built, an address).
package explain

import (
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"
)

func TestEscapes(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Log(err)
	}
	if c, err := net.Dial("tcp", "127.0.0.1:1"); err == nil {
		c.Close()
	}
	r, w := io.Pipe()
	_, _ = r, w
	addr := &net.TCPAddr{Port: 1}
	t.Log(strings.ToUpper(addr.String()))
}
