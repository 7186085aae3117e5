package translate

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestMainDump(t *testing.T) {
	dir := os.Getenv("DUMP_DIR")
	if dir == "" {
		t.Skip()
	}
	var out, errb bytes.Buffer
	code := Main(append([]string{"test", dir}, strings.Fields(os.Getenv("DUMP_ARGS"))...), &out, &errb)
	t.Logf("code %d\n%s\n%s", code, out.String(), errb.String())
}
