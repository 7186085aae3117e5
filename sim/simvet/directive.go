package simvet

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Directive spellings: a line comment with no space after the slashes, as Go's own
// //go: directives.
const (
	directivePrefix = "//simvet:"
	markerName      = "simulated"
	allowName       = "allow"
)

// An allow is one //simvet:allow directive of a checked file.
type allow struct {
	pos    token.Pos
	line   int    // the directive's line: it covers this line and the next
	rule   rule   // as written; "" when missing
	reason string // "" when missing
	used   bool   // it suppressed at least one finding
}

// reviewed reports whether the directive names a rule and gives a reason, so that it may
// suppress findings.
func (a *allow) reviewed() bool {
	return allowable(a.rule) && a.reason != ""
}

// directives is what a package's comments say to simvet.
type directives struct {
	simulated bool                        // a checked file carries the marker
	allows    []*allow                    // in source order, for deterministic reports
	byLine    map[fileLine][]*allow       // the allows covering each line
	pending   []func(pass *analysis.Pass) // reports held until the package is known marked
}

// fileLine is a line of a file.
type fileLine struct {
	file string
	line int
}

// scanDirectives reads the //simvet: comments of every file. It reports unknown directive
// names in any package, and malformed allow directives only in a marked package.
func scanDirectives(pass *analysis.Pass, checked map[*ast.File]bool) *directives {
	d := &directives{byLine: make(map[fileLine][]*allow)}
	for _, f := range pass.Files {
		for _, group := range f.Comments {
			for _, comment := range group.List {
				d.scan(pass, comment, checked[f])
			}
		}
	}
	if d.simulated {
		for _, report := range d.pending {
			report(pass)
		}
	}
	return d
}

// scan reads one comment; in an unchecked file only its directive name is checked.
func (d *directives) scan(pass *analysis.Pass, comment *ast.Comment, checked bool) {
	text, ok := strings.CutPrefix(comment.Text, directivePrefix)
	if !ok {
		return
	}
	var name string
	var args []string
	if fields := strings.Fields(text); len(fields) > 0 && strings.HasPrefix(text, fields[0]) {
		name, args = fields[0], fields[1:] // the name follows the colon with no space
	}
	switch {
	case name == markerName && len(args) == 0:
		d.simulated = d.simulated || checked
	case name == allowName:
		if checked {
			d.addAllow(pass, comment.Slash, args)
		}
	default:
		reportf(pass, comment.Slash, ruleDirective,
			"unknown directive %q; simvet knows //simvet:%s and //simvet:%s RULE reason",
			comment.Text, markerName, allowName)
	}
}

// addAllow records an allow directive with arguments args (the rule, then the reason's
// words), and holds a report for it if it is malformed.
func (d *directives) addAllow(pass *analysis.Pass, pos token.Pos, args []string) {
	a := &allow{pos: pos}
	if len(args) > 0 {
		a.rule = rule(args[0])
		a.reason = strings.Join(args[1:], " ")
	}
	position := pass.Fset.Position(pos)
	a.line = position.Line
	d.allows = append(d.allows, a)
	for _, line := range []int{a.line, a.line + 1} {
		key := fileLine{position.Filename, line}
		d.byLine[key] = append(d.byLine[key], a)
	}
	switch {
	case !allowable(a.rule):
		d.hold(pos, "//simvet:allow needs a rule: go, select, sync, time, rand, maprange, gosched or printfp; got %q", string(a.rule))
	case a.reason == "":
		d.hold(pos, "//simvet:allow %s needs a reason: a reviewed exception says why it is safe", a.rule)
	}
}

// hold keeps a directive report until the package is known to be marked.
func (d *directives) hold(pos token.Pos, format string, args ...any) {
	d.pending = append(d.pending, func(pass *analysis.Pass) {
		reportf(pass, pos, ruleDirective, format, args...)
	})
}

// suppress reports whether a reviewed allow directive for r covers position p, and marks
// the directives that do as used.
func (d *directives) suppress(p token.Position, r rule) bool {
	suppressed := false
	for _, a := range d.byLine[fileLine{p.Filename, p.Line}] {
		if a.rule == r && a.reviewed() {
			a.used = true
			suppressed = true
		}
	}
	return suppressed
}
