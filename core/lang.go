package core

import "strings"

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
	t := strings.ToLower(strings.TrimSpace(s))
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
