//go:build !muxbugs

package mux

import "errors"

// BugsCompiled reports whether this build can switch known bugs on (the muxbugs tag).
const BugsCompiled = false

// EnableBug fails: known bugs exist only in builds with the muxbugs tag.
func EnableBug(name string) error {
	if name == "none" {
		return nil
	}
	return errors.New("known bugs need a build with -tags muxbugs")
}

// bugOn is always false here: every bug switch compiles away.
func bugOn(Bug) bool { return false }
