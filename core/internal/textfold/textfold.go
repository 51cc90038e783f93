// Package textfold is how message matching sees text. It is shared by the
// core, which folds page text as it reads it, and by the generator that
// builds the core's detector tables from the same rule.
package textfold

import "unicode/utf8"

// Messages are quoted by help pages, blogs and the site itself with ASCII or
// full-width punctuation, with or without the final 。 and with stray spaces,
// NBSPs and zero-width characters. Matching therefore ignores all white space,
// zero-width characters and punctuation, and folds full-width letters and
// digits to ASCII upper case. Only letters, digits and CJK characters carry
// the match.

// Skip is returned by Fold for a rune that matching ignores.
const Skip rune = -1

// Fold returns the rune that matching compares, or Skip.
func Fold(r rune) rune {
	if r < 0x80 {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			return r
		}
		return Skip // ASCII white space, controls and punctuation
	}
	switch {
	case r <= 0xBF: // NBSP, Latin-1 punctuation and signs
		return Skip
	case r >= 0x2000 && r <= 0x206F: // general punctuation, spaces, zero-width characters
		return Skip
	case r >= 0x3000 && r <= 0x303F: // ideographic space, 。、「」 and other CJK punctuation
		return Skip
	case r >= 0xFE10 && r <= 0xFE1F, r >= 0xFE30 && r <= 0xFE6F: // vertical, compatibility and small forms
		return Skip
	case r == 0xFEFF: // byte-order mark used as zero-width no-break space
		return Skip
	case r >= 0xFF10 && r <= 0xFF19: // full-width digits
		return r - 0xFF10 + '0'
	case r >= 0xFF21 && r <= 0xFF3A:
		return r - 0xFF21 + 'A'
	case r >= 0xFF41 && r <= 0xFF5A:
		return r - 0xFF41 + 'A'
	case r >= 0xFF01 && r <= 0xFF65: // the rest of the full-width and half-width punctuation
		return Skip
	case r == 0x1680, r == 0x180E: // Ogham space, Mongolian vowel separator
		return Skip
	}
	return r
}

// Normalize returns text as matching sees it: white space, zero-width
// characters and punctuation removed, full-width letters and digits folded to
// ASCII, letters upper-cased. Invalid UTF-8 bytes become U+FFFD.
func Normalize(text string) string {
	buf := make([]byte, 0, len(text))
	for _, r := range text {
		if f := Fold(r); f != Skip {
			buf = utf8.AppendRune(buf, f)
		}
	}
	return string(buf)
}
