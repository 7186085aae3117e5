package simcli

import (
	"flag"
	"fmt"
	"io"

	"github.com/muxsim/muxsim/sim/catalog"
)

// Config is what a program's main tells the command: whose scenarios it runs, what it is
// called, and the engine's hooks. The zero value runs the process-wide catalogue
// (catalog.Registered) as "simrun" without known bugs.
type Config struct {
	// Catalog is the scenarios the program runs. Default: catalog.Registered(). To run
	// several packages' catalogues, Merge them.
	Catalog *catalog.Catalog
	// Name is the program's name in its help text, usage errors and reports. Default
	// "simrun".
	Name string
	// Package is what replay commands and decision files tell go run to build, e.g.
	// "./cmd/mysim". Default "./cmd/" + Name.
	Package string
	// Doc describes the program: the start of its -h text, before the flag reference
	// (this package's documentation). Default: one sentence naming the program.
	Doc string
	// Bugs is the engine's switch of known bugs, for -bug and -bugs. Default nil: the
	// program has none, and those flags are usage errors.
	Bugs *Bugs
}

// Bugs is an engine's switch of known bugs: planted bugs that a build with special tags
// compiles in, so that simrun can measure how quickly the simulator finds each one.
type Bugs struct {
	// Compiled reports whether this build has the bugs compiled in.
	Compiled bool
	// Tags are the build tags that compile them in, e.g. "muxbugs": replay commands of a
	// run with a bug on say go run -tags Tags.
	Tags string
	// List names the known bugs.
	List []Bug
	// Enable switches the named bug on and every other off; "none" switches all off.
	Enable func(name string) error
}

// Bug is one known bug, with the scenarios that -power -bug all measures it on.
type Bug struct {
	Name string
	Doc  string
	// Scenario hunts the bug under simulation; Real tries it on real goroutines (a
	// scenario of the catalogue with Real set). Either empty leaves the bug out of the
	// -power -bug all table.
	Scenario, Real string
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	if c.Catalog == nil {
		c.Catalog = catalog.Registered()
	}
	if c.Name == "" {
		c.Name = "simrun"
	}
	if c.Package == "" {
		c.Package = "./cmd/" + c.Name
	}
	if c.Doc == "" {
		c.Doc = fmt.Sprintf("%s runs scenarios under muxsim's deterministic simulator.", c.Name)
	}
	return c
}

// listBugs prints the known bugs on stdout and returns flag.ErrHelp (exit 0), or an error
// when the program has none.
func listBugs(c Config, stdout io.Writer) error {
	if c.Bugs == nil {
		return fmt.Errorf("-bugs: %s has no known bugs (its main provides none)", c.Name)
	}
	if !c.Bugs.Compiled {
		return fmt.Errorf("known bugs exist only in a build with -tags %s: go run -tags %s %s -bugs", c.Bugs.Tags, c.Bugs.Tags, c.Package)
	}
	for _, b := range c.Bugs.List {
		fmt.Fprintf(stdout, "%-9s %s\n", b.Name, b.Doc)
	}
	return flag.ErrHelp
}

// enableBug switches -bug NAME on; "all" is -power's, which switches each in turn.
func enableBug(c Config, bug string, m mode) error {
	switch {
	case bug == "":
		return nil
	case c.Bugs == nil:
		return fmt.Errorf("-bug %s: %s has no known bugs (its main provides none)", bug, c.Name)
	case bug == "all" && m != modePower:
		return fmt.Errorf("-bug all measures every known bug and needs -power")
	case bug == "all":
		return nil
	}
	if err := c.Bugs.Enable(bug); err != nil {
		return fmt.Errorf("-bug %s: %v", bug, err)
	}
	return nil
}
