package translate

import (
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	dir := os.Getenv("DUMP_DIR")
	if dir == "" {
		t.Skip()
	}
	p, err := Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Files {
		t.Logf("%s\n%s", f.Name, f.Src)
	}
	t.Log(p.Tests)
}
