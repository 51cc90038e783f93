package core

import (
	"strings"
	"unicode/utf8"
)

// Lang is a display language. Heyan's users read Chinese first.
type Lang string

// The supported languages.
const (
	LangZH Lang = "zh-CN"
	LangEN Lang = "en"
)

// ParseLang reads a language tag. The empty string means zh-CN; any zh* tag is
// Chinese and any en* tag is English, so browser tags like "en-US" and
// "zh-Hans-CN" work as they are.
func ParseLang(s string) (Lang, error) {
	t := lowerASCII(trimSpace(s))
	switch {
	case t == "" || t == "zh" || strings.HasPrefix(t, "zh-") || strings.HasPrefix(t, "zh_"):
		return LangZH, nil
	case t == "en" || strings.HasPrefix(t, "en-") || strings.HasPrefix(t, "en_"):
		return LangEN, nil
	}
	return LangZH, &Error{
		Code: ECodeUnknownLang,
		ZH:   "不支持的语言“" + clip(s) + "”：可用 zh-CN 或 en",
		EN:   "unknown language " + quote(s) + ": use zh-CN or en",
	}
}

// pick returns the text for lang, falling back to Chinese.
func pick(lang Lang, zh, en string) string {
	if lang == LangEN && en != "" {
		return en
	}
	return zh
}

// clip shortens user-supplied text quoted back in an error message.
func clip(s string) string {
	const max = 40
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// quote is a dependency-free stand-in for strconv.Quote of a clipped value.
func quote(s string) string { return "\"" + clip(s) + "\"" }

// lowerASCII lower-cases the runes of s whose lower case is ASCII: A–Z,
// U+0130 (İ → i) and U+212A (the Kelvin sign → k), and leaves the others.
// The words it is compared with (language tags, province names) are ASCII,
// so it decides as strings.ToLower would, without linking Unicode's case
// tables into the WebAssembly build.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c >= 'A' && c <= 'Z') || c >= utf8.RuneSelf {
			b := []byte(s[:i])
			for _, r := range s[i:] {
				switch {
				case r >= 'A' && r <= 'Z':
					r += 'a' - 'A'
				case r == 0x130:
					r = 'i'
				case r == 0x212A:
					r = 'k'
				}
				b = utf8.AppendRune(b, r)
			}
			return string(b)
		}
	}
	return s
}

// isSpace is Unicode's White_Space property, the runes strings.TrimSpace
// trims, listed so that no Unicode table is linked.
func isSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// trimSpace is strings.TrimSpace.
func trimSpace(s string) string {
	start, end := 0, len(s)
	for start < end {
		r, n := utf8.DecodeRuneInString(s[start:])
		if !isSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if !isSpace(r) {
			break
		}
		end -= n
	}
	return s[start:end]
}
