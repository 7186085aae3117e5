//go:build muxbugs

package muxbugs

import "fmt"

// Compiled reports whether this build can switch known bugs on (the muxbugs tag).
const Compiled = true

// active is the bug switched on for the whole process: a sweep runs one bug at a time.
var active Bug

// Enable switches the named bug on ("none" switches every bug off).
func Enable(name string) error {
	for _, b := range bugInfos {
		if b.Name == name {
			active = b.Bug
			return nil
		}
	}
	return fmt.Errorf("unknown bug %q", name)
}

// On reports whether b is the bug switched on.
func On(b Bug) bool { return active == b }
