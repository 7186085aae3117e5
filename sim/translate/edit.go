package translate

import (
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

// edit replaces the source text between two offsets by what text returns. text is called
// while the output is written and renders the node's children itself (with render), so
// that an edit inside another is applied only if the outer edit keeps that child.
type edit struct {
	pos, end int
	seq      int // creation order: of two edits over one range, the first is the outer
	text     func() string
	active   bool // being rendered: a render of its own range skips it
}

// editor renders a file's source with its edits applied.
type editor struct {
	src    []byte
	base   int // the file's base in the FileSet
	edits  []*edit
	sorted bool
}

func (e *editor) off(p token.Pos) int { return int(p) - e.base }

// replace records that the source of [pos, end) becomes text().
func (e *editor) replace(pos, end token.Pos, text func() string) {
	e.edits = append(e.edits, &edit{pos: e.off(pos), end: e.off(end), seq: len(e.edits), text: text})
	e.sorted = false
}

// node renders a node's source with the edits inside it applied.
func (e *editor) node(n ast.Node) string { return e.render(e.off(n.Pos()), e.off(n.End())) }

// span renders the source between two positions with the edits inside applied.
func (e *editor) span(pos, end token.Pos) string { return e.render(e.off(pos), e.off(end)) }

// render writes src[pos:end), replacing each outermost edit inside it by its text.
func (e *editor) render(pos, end int) string {
	if !e.sorted {
		sort.SliceStable(e.edits, func(i, j int) bool {
			a, b := e.edits[i], e.edits[j]
			if a.pos != b.pos {
				return a.pos < b.pos
			}
			if az, bz := a.pos == a.end, b.pos == b.end; az != bz {
				return az // an insertion goes before what starts where it is
			}
			if a.end != b.end {
				return a.end > b.end
			}
			return a.seq < b.seq
		})
		e.sorted = true
	}
	var b strings.Builder
	cursor := pos
	i := sort.Search(len(e.edits), func(i int) bool { return e.edits[i].pos >= pos })
	for ; i < len(e.edits); i++ {
		ed := e.edits[i]
		if ed.pos >= end && !(ed.pos == end && ed.end == end) {
			break
		}
		if ed.pos < cursor || ed.end > end || ed.active {
			continue
		}
		b.Write(e.src[cursor:ed.pos])
		ed.active = true
		b.WriteString(ed.text())
		ed.active = false
		cursor = ed.end
	}
	b.Write(e.src[cursor:end])
	return b.String()
}
