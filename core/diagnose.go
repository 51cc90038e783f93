package core

import (
	"slices"
	"unicode/utf8"
)

// Detection is an Aho–Corasick automaton over the normalized texts of every
// entry that has site texts. The input is folded rune by rune in the same
// pass, so Diagnose reads its input once, allocates only for what it finds,
// and cannot backtrack.

// Found is one known message in a text: the entry and the byte range of the
// original text it spans, from its first to its last significant rune.
type Found struct {
	Entry      *Entry
	Start, End int
}

type detector struct {
	alpha    runeIndex
	width    int      // alphabet size + 1 (index 0 is every rune no pattern uses)
	next     []uint16 // next[state*width+symbol]
	out      [][]int  // patterns that end in each state, via failure links too
	patLen   []int    // pattern length in runes
	patEntry []*Entry
	maxLen   int
}

var det *detector

// runeIndex maps the runes the patterns use to small symbols with open
// addressing: faster than a map on the hot path, and small.
type runeIndex struct {
	keys []rune
	vals []uint16
	mask uint32
}

func (x *runeIndex) get(r rune) uint16 {
	i := (uint32(r) * 2654435761) & x.mask
	for {
		k := x.keys[i]
		if k == r {
			return x.vals[i]
		}
		if k == 0 {
			return 0
		}
		i = (i + 1) & x.mask
	}
}

func (x *runeIndex) put(r rune, v uint16) {
	i := (uint32(r) * 2654435761) & x.mask
	for x.keys[i] != 0 && x.keys[i] != r {
		i = (i + 1) & x.mask
	}
	x.keys[i], x.vals[i] = r, v
}

func buildDetector(es []*Entry) error {
	var pats [][]rune
	var owners []*Entry
	symbols := map[rune]uint16{}
	for _, e := range es {
		for _, t := range e.Texts {
			p := []rune(Normalize(t))
			if len(p) == 0 {
				return &Error{Code: ECodeBadData, ZH: e.ID + "：text 规范化后为空", EN: e.ID + ": a text is empty once normalized"}
			}
			for _, r := range p {
				if _, ok := symbols[r]; !ok {
					symbols[r] = uint16(len(symbols) + 1)
				}
			}
			pats = append(pats, p)
			owners = append(owners, e)
		}
	}
	size := uint32(64)
	for size < uint32(len(symbols))*4 {
		size *= 2
	}
	d := &detector{
		alpha:    runeIndex{keys: make([]rune, size), vals: make([]uint16, size), mask: size - 1},
		width:    len(symbols) + 1,
		patEntry: owners,
	}
	for r, v := range symbols {
		d.alpha.put(r, v)
	}
	// The trie, with -1 for "no edge yet".
	type node struct{ edges map[uint16]int }
	trie := []node{{edges: map[uint16]int{}}}
	ends := [][]int{nil}
	for pi, p := range pats {
		s := 0
		for _, r := range p {
			sym := symbols[r]
			t, ok := trie[s].edges[sym]
			if !ok {
				t = len(trie)
				trie = append(trie, node{edges: map[uint16]int{}})
				ends = append(ends, nil)
				trie[s].edges[sym] = t
			}
			s = t
		}
		ends[s] = append(ends[s], pi)
		d.patLen = append(d.patLen, len(p))
		d.maxLen = max(d.maxLen, len(p))
	}
	if len(trie) > 0xFFFF {
		return &Error{Code: ECodeBadData, ZH: "知识库文本过多", EN: "too many knowledge texts for the detector"}
	}
	// Breadth-first: each state's row starts as a copy of its failure
	// state's row (already final, being shallower), then takes its own edges.
	d.next = make([]uint16, len(trie)*d.width)
	d.out = make([][]int, len(trie))
	fail := make([]int, len(trie))
	queue := []int{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		row := d.next[s*d.width : (s+1)*d.width]
		if s != 0 {
			copy(row, d.next[fail[s]*d.width:(fail[s]+1)*d.width])
			d.out[s] = append(slices.Clone(ends[s]), d.out[fail[s]]...)
		}
		for sym, t := range trie[s].edges {
			if s != 0 {
				fail[t] = int(row[sym]) // the failure state's transition on sym
			}
			row[sym] = uint16(t)
			queue = append(queue, t)
		}
	}
	det = d
	return nil
}

// Find returns every known message in text, in order of appearance. A match
// lying inside a longer one is dropped, so a message is never reported twice
// for one occurrence.
func Find(text string) []Found {
	d := det
	if d == nil {
		return nil
	}
	ringSize := 1
	for ringSize < d.maxLen {
		ringSize *= 2
	}
	var ringBuf [256]int
	ring := ringBuf[:0]
	if ringSize <= len(ringBuf) {
		ring = ringBuf[:ringSize]
	} else {
		ring = make([]int, ringSize)
	}
	mask := ringSize - 1
	var found []Found
	state, kept := 0, 0
	for i := 0; i < len(text); {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(text[i:])
		}
		f := fold(r)
		if f == skip {
			i += n
			continue
		}
		ring[kept&mask] = i
		state = int(d.next[state*d.width+int(d.alpha.get(f))])
		for _, p := range d.out[state] {
			start := ring[(kept-d.patLen[p]+1)&mask]
			found = append(found, Found{Entry: d.patEntry[p], Start: start, End: i + n})
		}
		kept++
		i += n
	}
	if len(found) < 2 {
		return found
	}
	slices.SortStableFunc(found, func(a, b Found) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End // the longer first
	})
	kept = 0
	lastEnd := -1
	for _, f := range found {
		if f.End <= lastEnd {
			continue // inside the previous match
		}
		found[kept] = f
		kept++
		lastEnd = f.End
	}
	return found[:kept]
}

// Match is one detected message, explained in one language. Its JSON form is
// the `heyan diagnose --json` output and the WebAssembly contract.
type Match struct {
	ID       string   `json:"id"`
	Status   *int     `json:"status"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Cause    string   `json:"cause"`
	Steps    []string `json:"steps"`
}

// Diagnose returns every known message found in text, in order of
// appearance, explained in lang. Headings and menus that merely name the
// topic (短信核验, 短信核验失败) match nothing: only whole messages do.
func Diagnose(text string, lang Lang) ([]Match, error) {
	if kbErr != nil {
		return nil, kbErr
	}
	fs := Find(text)
	out := make([]Match, 0, len(fs))
	for _, f := range fs {
		out = append(out, MatchFor(f.Entry, lang))
	}
	return out, nil
}

// MatchFor explains e as a Match in lang.
func MatchFor(e *Entry, lang Lang) Match {
	x := e.Explain(lang)
	m := Match{ID: e.ID, Severity: e.Severity, Title: x.Title, Cause: x.Cause, Steps: x.Steps}
	if e.HasStatus {
		s := e.Status
		m.Status = &s
	}
	return m
}
