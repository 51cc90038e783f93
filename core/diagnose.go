package core

import (
	"unicode/utf8"

	"github.com/heyan-dev/heyan/core/internal/textfold"
)

// Detection is an Aho–Corasick automaton over the normalized texts of every
// entry that has site texts, generated with the knowledge base
// (detector_gen.go, built by internal/gendata/detector.go). The input is
// folded rune by rune in the same pass, through a table that gives each rune
// its symbol directly, so Find reads its input once, allocates only for what
// it finds, and cannot backtrack.

// Found is one known message in a text: the entry and the byte range of the
// original text it spans, from its first to its last significant rune.
type Found struct {
	Entry      *Entry
	Start, End int
}

// The marks in the generated tables (internal/gendata/detector.go).
const (
	symSkip = 0xFF   // a symbol: a rune that matching ignores
	outMark = 0x8000 // on a transition: the target state ends texts
)

type detector struct {
	pageOf   [256]uint8 // a BMP rune's page of symbols: symbols[pageOf[r>>8]<<8|r&0xFF]
	symbols  []uint8    // 0: a rune no text uses; symSkip: a rune matching ignores
	width    int        // symbols + 1
	maxLen   int        // the longest text, in runes
	next     []uint16   // next[state*width+symbol], with outMark
	outStart []uint16   // the texts ending in state s: outPat[outStart[s]:outStart[s+1]]
	outPat   []uint16
	patLen   []uint16 // in runes
	patEntry []uint16 // the entry (its index in entries) of each text
}

// Find returns every known message in text, in order of appearance. A match
// lying inside a longer one is dropped, so a message is never reported twice
// for one occurrence.
func Find(text string) []Found {
	d := &det
	if len(d.patLen) == 0 {
		return nil
	}
	// ring holds the byte offsets of the last significant runes, so that a
	// match ending here can tell where it started.
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
	// The tables in locals: the loop below is the core's hot path, and the
	// WebAssembly build keeps locals out of memory.
	symbols, pageOf, next, width := d.symbols, &d.pageOf, d.next, d.width
	state, kept := 0, 0
	for i := 0; i < len(text); {
		c := text[i]
		n := 1
		var sym uint8
		switch {
		case c < utf8.RuneSelf:
			sym = symbols[c] // the first page is U+0000–U+00FF
		case c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80:
			// A three-byte sequence that cannot be overlong or a surrogate:
			// most CJK text, decoded here rather than by a call.
			r := rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			sym = symbols[int(pageOf[r>>8])<<8|int(r&0xFF)]
			n = 3
		default:
			var r rune
			r, n = utf8.DecodeRuneInString(text[i:])
			if r <= 0xFFFF {
				sym = symbols[int(pageOf[r>>8])<<8|int(r&0xFF)]
			} // above the BMP every rune is itself and no text uses one: symbol 0
		}
		switch sym {
		case symSkip:
			i += n
			continue
		case 0:
			// No text has this rune: every match starts after it.
			state = 0
			i += n
			continue
		}
		ring[kept&mask] = i
		t := next[state*width+int(sym)]
		state = int(t &^ outMark)
		if t&outMark != 0 {
			for o := d.outStart[state]; o < d.outStart[state+1]; o++ {
				p := d.outPat[o]
				f := Found{Entry: entries[d.patEntry[p]], Start: ring[(kept-int(d.patLen[p])+1)&mask], End: i + n}
				found = keepOutermost(found, f)
			}
		}
		kept++
		i += n
	}
	return found
}

// keepOutermost adds f to found, which holds matches with increasing starts
// and ends, keeping only matches that lie inside no other. Matches come in
// order of their end, longest first for one end, so f can only lie inside
// the last match kept, and can only contain matches at the end of found.
// Of two matches over the same span the first is kept.
func keepOutermost(found []Found, f Found) []Found {
	if n := len(found); n > 0 && found[n-1].End == f.End && found[n-1].Start <= f.Start {
		return found // inside the last match
	}
	for len(found) > 0 && found[len(found)-1].Start >= f.Start {
		found = found[:len(found)-1] // inside f
	}
	return append(found, f)
}

// Normalize returns text as matching sees it: white space, zero-width
// characters and punctuation removed, full-width letters and digits folded to
// ASCII, letters upper-cased. Invalid UTF-8 bytes become U+FFFD.
func Normalize(text string) string { return textfold.Normalize(text) }

// Match is one detected message: which entry, and its validStatus (nil when
// the entry has none). The entry's explanation is in the Diagnosis once.
type Match struct {
	ID     string `json:"id"`
	Status *int   `json:"status"`
}

// MatchExplanation is a matched entry explained in one language.
type MatchExplanation struct {
	ID       string   `json:"id"`
	Status   *int     `json:"status"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Cause    string   `json:"cause"`
	Steps    []string `json:"steps"`
}

// Diagnosis is what Diagnose found: the matches in order of appearance, and
// the explanation of each entry they refer to, once, in order of first
// appearance. A page that quotes one message 100 times carries its
// explanation once.
type Diagnosis struct {
	Matches      []Match
	Explanations []MatchExplanation
}

// Diagnose returns every known message found in text, in order of
// appearance, explained in lang. Headings and menus that merely name the
// topic (短信核验, 短信核验失败) match nothing: only whole messages do.
func Diagnose(text string, lang Lang) Diagnosis {
	fs := Find(text)
	res := Diagnosis{Matches: make([]Match, len(fs)), Explanations: []MatchExplanation{}}
	// Entry index → its place in Explanations plus one (0: not yet).
	var slotBuf [64]int
	slot := slotBuf[:0]
	if len(entries) <= len(slotBuf) {
		slot = slotBuf[:len(entries)]
	} else {
		slot = make([]int, len(entries))
	}
	for i, f := range fs {
		e := f.Entry
		k := slot[e.index]
		if k == 0 {
			res.Explanations = append(res.Explanations, ExplainMatch(e, lang))
			k = len(res.Explanations)
			slot[e.index] = k
		}
		res.Matches[i] = Match{ID: e.ID, Status: res.Explanations[k-1].Status}
	}
	return res
}

// ExplainMatch explains e as a matched entry in lang.
func ExplainMatch(e *Entry, lang Lang) MatchExplanation {
	x := e.Explain(lang)
	m := MatchExplanation{ID: e.ID, Severity: e.Severity, Title: x.Title, Cause: x.Cause, Steps: x.Steps}
	if e.HasStatus {
		s := e.Status
		m.Status = &s
	}
	return m
}
