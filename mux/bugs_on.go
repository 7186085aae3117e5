//go:build muxbugs

package mux

import "fmt"

// BugsCompiled reports whether this build can switch known bugs on (the muxbugs tag).
const BugsCompiled = true

// active is the bug switched on for the whole process: a sweep runs one bug at a time.
var active Bug

// EnableBug switches the named bug on ("none" switches every bug off).
func EnableBug(name string) error {
	for _, b := range bugInfos {
		if b.Name == name {
			active = b.Bug
			return nil
		}
	}
	return fmt.Errorf("unknown bug %q", name)
}

func bugOn(b Bug) bool { return active == b }
