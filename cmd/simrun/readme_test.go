package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReadmeCommands runs every shell command of the repository's README, so that none
// of them can rot. Method: each line of a ```sh block is a command (a trailing "# ..." is
// its comment). simrun commands run on a binary built once per build tag, in one scratch
// directory, and must exit 0 or 1 (a failing run is a verdict; 2 is a usage error); any
// other command runs with bash at the repository root and must exit 0, unless its comment
// starts with "fails", when it must exit 1. The README's test command, go test ./..., is
// the one exception: .ci/run runs it.
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds simrun and runs the README's commands; -short skips it")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(t, filepath.Join(root, "README.md"))
	if len(cmds) < 5 {
		t.Fatalf("found only %d commands in README.md: is the parser wrong?", len(cmds))
	}
	bins := map[string]string{} // build tags -> simrun binary
	// One scratch directory for every simrun command, in README order, so that a command
	// can read what an earlier one wrote (a saved decision file, for -replay).
	scratch := t.TempDir()
	for _, c := range cmds {
		t.Run(c.line, func(t *testing.T) {
			if c.line == "go test ./..." {
				t.Skip("the test command itself: .ci/run runs it")
			}
			if tags, args, ok := simrunCommand(c.line); ok {
				bin, ok := bins[tags]
				if !ok {
					bin = buildSimrun(t, root, scratch, tags)
					bins[tags] = bin
				}
				for i, a := range args {
					if strings.HasPrefix(a, "./") || strings.HasPrefix(a, "../") {
						args[i] = filepath.Join(root, a) // a path in the repository
					}
				}
				code, out := runCommand(t, scratch, bin, args...)
				if code != 0 && code != 1 {
					t.Fatalf("exit %d (want 0 or 1):\n%s", code, out)
				}
				return
			}
			want := 0
			if strings.HasPrefix(c.comment, "fails") {
				want = 1
			}
			line := strings.ReplaceAll(c.line, "/tmp/", scratch+"/")
			code, out := runCommand(t, root, "bash", "-c", line)
			if code != want {
				t.Fatalf("exit %d (want %d):\n%s", code, want, out)
			}
		})
	}
}

type readmeCommand struct{ line, comment string }

// readmeCommands returns the lines of the file's sh code blocks.
func readmeCommands(t *testing.T, path string) []readmeCommand {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []readmeCommand
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "```sh":
			in = true
		case strings.HasPrefix(line, "```"):
			in = false
		case in && line != "" && !strings.HasPrefix(line, "#"):
			c := readmeCommand{line: line}
			if i := strings.Index(line, " # "); i >= 0 {
				c.line, c.comment = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+3:])
			}
			cmds = append(cmds, c)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cmds
}

// simrunCommand splits "go run [-tags T] ./cmd/simrun ARGS" into its tags and arguments.
func simrunCommand(line string) (tags string, args []string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "go" || f[1] != "run" {
		return "", nil, false
	}
	f = f[2:]
	if len(f) >= 2 && f[0] == "-tags" {
		tags, f = f[1], f[2:]
	}
	if len(f) == 0 || f[0] != "./cmd/simrun" || strings.ContainsAny(line, "|&;<>$") {
		return "", nil, false
	}
	return tags, f[1:], true
}

func buildSimrun(t *testing.T, root, dir, tags string) string {
	bin := filepath.Join(dir, "simrun"+tags)
	args := []string{"build", "-o", bin}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	if code, out := runCommand(t, root, "go", append(args, "./cmd/simrun")...); code != 0 {
		t.Fatalf("go build simrun (tags %q): exit %d\n%s", tags, code, out)
	}
	return bin
}

// runCommand runs name in dir and returns its exit code and combined output.
func runCommand(t *testing.T, dir, name string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: timed out after 3m:\n%s", name, strings.Join(args, " "), out)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return 0, string(out)
}
