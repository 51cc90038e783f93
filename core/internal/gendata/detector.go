package main

import (
	"errors"
	"slices"
	"unicode/utf8"

	"github.com/heyan-dev/heyan/core/internal/textfold"
)

// The detector is an Aho–Corasick automaton over the normalized texts of
// every entry, built here so that the core starts with it ready. Its tables
// (see core/diagnose.go for how Find walks them):
//
//   - symbols: for every rune of the Basic Multilingual Plane, in pages of 256
//     (pageOf[r>>8] is r's page), the rune's symbol after textfold.Fold: 0 for
//     a rune no text uses, symSkip for one that matching ignores. Identical
//     pages are stored once; the page of U+0000–U+00FF is first, so an ASCII
//     byte is its own index.
//   - next: the dense transition table, next[state*width+symbol], with
//     outMark set on a transition into a state where texts end.
//   - outStart/outPat: the texts that end in each state, longest first
//     (through failure links too).

// Marks the generated tables use; core/diagnose.go has the same constants.
const (
	symSkip = 0xFF
	outMark = 0x8000
)

// Detector is the automaton's tables, ready to be written as Go.
type Detector struct {
	PageOf   [256]uint8
	Symbols  []uint8
	Width    int
	Next     []uint16
	OutStart []uint16
	OutPat   []uint16
	PatLen   []uint16
	PatEntry []uint16
	MaxLen   int
}

func buildDetector(es []*Entry) (*Detector, error) {
	var pats [][]rune
	var owners []int
	symbols := map[rune]int{}
	for ei, e := range es {
		for _, t := range e.Texts {
			p := []rune(textfold.Normalize(t))
			if len(p) == 0 {
				return nil, errors.New(e.ID + ": a text is empty once normalized")
			}
			for _, r := range p {
				if r > 0xFFFF {
					return nil, errors.New(e.ID + ": a text uses a rune outside the Basic Multilingual Plane, which the symbol table does not cover")
				}
				if _, ok := symbols[r]; !ok {
					symbols[r] = len(symbols) + 1
				}
			}
			pats = append(pats, p)
			owners = append(owners, ei)
		}
	}
	if len(symbols) >= symSkip {
		return nil, errors.New("the knowledge texts use more distinct characters than a byte-sized symbol holds")
	}
	// Find reads runes above the BMP as symbol 0 without a table: that holds
	// only while folding leaves them as they are.
	for r := rune(0x10000); r <= utf8.MaxRune; r++ {
		if textfold.Fold(r) != r {
			return nil, errors.New("textfold.Fold changes runes above U+FFFF; the detector's symbol table must cover them")
		}
	}
	d := &Detector{Width: len(symbols) + 1, PatEntry: make([]uint16, len(owners))}
	for i, o := range owners {
		d.PatEntry[i] = uint16(o)
	}

	// The symbol pages, U+0000's first.
	pageIndex := map[string]uint8{}
	addPage := func(page []uint8) (uint8, error) {
		if i, ok := pageIndex[string(page)]; ok {
			return i, nil
		}
		if len(pageIndex) == 256 {
			return 0, errors.New("too many distinct symbol pages")
		}
		i := uint8(len(pageIndex))
		pageIndex[string(page)] = i
		d.Symbols = append(d.Symbols, page...)
		return i, nil
	}
	for hi := 0; hi < 256; hi++ {
		page := make([]uint8, 256)
		for lo := 0; lo < 256; lo++ {
			switch f := textfold.Fold(rune(hi<<8 | lo)); {
			case f == textfold.Skip:
				page[lo] = symSkip
			default:
				page[lo] = uint8(symbols[f])
			}
		}
		i, err := addPage(page)
		if err != nil {
			return nil, err
		}
		d.PageOf[hi] = i
	}

	// The trie, then breadth-first: each state's row starts as a copy of its
	// failure state's row (already final, being shallower), then takes its
	// own edges.
	type node struct{ edges map[int]int }
	trie := []node{{edges: map[int]int{}}}
	ends := [][]int{nil}
	for pi, p := range pats {
		s := 0
		for _, r := range p {
			sym := symbols[r]
			t, ok := trie[s].edges[sym]
			if !ok {
				t = len(trie)
				trie = append(trie, node{edges: map[int]int{}})
				ends = append(ends, nil)
				trie[s].edges[sym] = t
			}
			s = t
		}
		ends[s] = append(ends[s], pi)
		d.PatLen = append(d.PatLen, uint16(len(p)))
		d.MaxLen = max(d.MaxLen, len(p))
	}
	if len(trie) >= outMark {
		return nil, errors.New("too many knowledge texts for the detector's 15-bit states")
	}
	next := make([]int, len(trie)*d.Width)
	out := make([][]int, len(trie))
	fail := make([]int, len(trie))
	queue := []int{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		row := next[s*d.Width : (s+1)*d.Width]
		if s != 0 {
			copy(row, next[fail[s]*d.Width:(fail[s]+1)*d.Width])
			out[s] = append(slices.Clone(ends[s]), out[fail[s]]...)
		} else {
			out[s] = ends[s]
		}
		syms := make([]int, 0, len(trie[s].edges))
		for sym := range trie[s].edges {
			syms = append(syms, sym)
		}
		slices.Sort(syms)
		for _, sym := range syms {
			t := trie[s].edges[sym]
			if s != 0 {
				fail[t] = row[sym] // the failure state's transition on sym
			}
			row[sym] = t
			queue = append(queue, t)
		}
	}
	d.Next = make([]uint16, len(next))
	for i, t := range next {
		d.Next[i] = uint16(t)
		if len(out[t]) > 0 {
			d.Next[i] |= outMark
		}
	}
	for _, o := range out {
		d.OutStart = append(d.OutStart, uint16(len(d.OutPat)))
		for _, p := range o {
			d.OutPat = append(d.OutPat, uint16(p))
		}
	}
	d.OutStart = append(d.OutStart, uint16(len(d.OutPat)))
	return d, nil
}
