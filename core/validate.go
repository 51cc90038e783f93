package core

import (
	"strings"
	"unicode/utf8"
)

// Document types for the ID last 6.
const (
	DocResidentID    = "resident-id"     // 居民身份证
	DocHKMacauPermit = "hk-macau-permit" // 港澳居民来往内地通行证
	DocPassport      = "passport"
	DocOther         = "other"
)

// DocTypes lists the document types CheckID accepts.
var DocTypes = []string{DocResidentID, DocHKMacauPermit, DocPassport, DocOther}

// Problem is one thing wrong with a value, with what to do about it.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// CheckResult is a validator's verdict. Normalized is the value as it should
// be typed into the MIIT form (for an ID, never more than the last 6).
// Supported is set for phone numbers only.
type CheckResult struct {
	Valid      bool      `json:"valid"`
	Supported  *bool     `json:"supported,omitempty"`
	Normalized string    `json:"normalized"`
	Problems   []Problem `json:"problems"`
}

// notice is a problem or warning text of core/data/problems.txt, compiled
// into data_gen.go (problemTexts, trackWarnings) with the phone prefixes
// (supportedPrefixes).
type notice struct {
	code string
	text bilingual
}

func noticeText(list []notice, code string, lang Lang) string {
	for _, n := range list {
		if n.code == code {
			return n.text.in(lang)
		}
	}
	return ""
}

func problem(code string, lang Lang) Problem {
	return Problem{Code: code, Message: noticeText(problemTexts, code, lang)}
}

func supportedPrefix(p string) bool {
	for _, s := range supportedPrefixes {
		if s == p {
			return true
		}
	}
	return false
}

func result(normalized string, lang Lang, codes ...string) CheckResult {
	res := CheckResult{Valid: len(codes) == 0, Normalized: normalized, Problems: make([]Problem, 0, len(codes))}
	for _, c := range codes {
		res.Problems = append(res.Problems, problem(c, lang))
	}
	return res
}

// invisible reports whether r is white space or an invisible format
// character: zero-width characters and the bidi marks that phones and
// Windows add when a contact or a number is copied.
func invisible(r rune) bool {
	switch {
	case r == ' ', r == '\t', r == '\n', r == '\r', r == '\v', r == '\f', r == 0x85, r == 0xA0, r == 0x1680, r == 0x180E:
	case r >= 0x2000 && r <= 0x200F: // spaces, zero-width characters, LRM and RLM
	case r >= 0x2028 && r <= 0x202F: // line and paragraph separators, bidi embeddings, narrow NBSP
	case r >= 0x205F && r <= 0x206F: // word joiner, invisible operators, bidi isolates
	case r == 0x3000, r == 0xFEFF:
	default:
		return false
	}
	return true
}

// isSeparator reports whether r is something people put between digits.
func isSeparator(r rune) bool {
	if invisible(r) {
		return true
	}
	switch r {
	case '-', '－', '‐', '‑', '–', '—', '.', '．', '(', ')', '（', '）':
		return true
	}
	return false
}

// asciiDigit folds a full-width digit to ASCII.
func asciiDigit(r rune) rune {
	if r >= '０' && r <= '９' {
		return r - '０' + '0'
	}
	return r
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CheckPhone validates a responsible person's mobile number. It accepts
// spaces, dashes, +86/0086 and full-width digits, and returns the 11 digits
// the MIIT form wants. A valid number whose prefix is outside the guide's
// table stays valid but is not Supported, with a problem saying to switch.
func CheckPhone(value string, lang Lang) CheckResult {
	var b strings.Builder
	for _, r := range value {
		r = asciiDigit(r)
		if r == '＋' {
			r = '+'
		}
		if isSeparator(r) {
			continue
		}
		b.WriteRune(r)
	}
	s := b.String()
	switch {
	case strings.HasPrefix(s, "+86"):
		s = s[3:]
	case strings.HasPrefix(s, "0086"):
		s = s[4:]
	case len(s) == 13 && strings.HasPrefix(s, "86"):
		s = s[2:]
	}
	no := false
	var res CheckResult
	switch {
	case s == "":
		res = result("", lang, "phone-empty")
	case !allDigits(s):
		res = result(s, lang, "phone-not-digits")
	case len(s) != 11:
		res = result(s, lang, "phone-length")
	case s[0] != '1' || s[1] < '3':
		res = result(s, lang, "phone-prefix-invalid")
	case !supportedPrefix(s[:3]):
		res = result(s, lang)
		res.Problems = append(res.Problems, problem("phone-prefix-unsupported", lang))
		res.Supported = &no
		return res
	default:
		res = result(s, lang)
		yes := true
		res.Supported = &yes
		return res
	}
	res.Supported = &no
	return res
}

// CheckCode validates the 6-digit SMS code.
func CheckCode(value string, lang Lang) CheckResult {
	var b strings.Builder
	for _, r := range value {
		if isSeparator(r) {
			continue
		}
		b.WriteRune(asciiDigit(r))
	}
	s := b.String()
	switch {
	case s == "":
		return result("", lang, "code-empty")
	case !allDigits(s):
		return result(s, lang, "code-not-digits")
	case len(s) != 6:
		return result(s, lang, "code-length")
	}
	return result(s, lang)
}

// isZhejiang reports whether a province names Zhejiang, whose filing
// authority asks Hong Kong/Macau residents for a different number.
func isZhejiang(province string) bool {
	p := lowerASCII(trimSpace(province))
	p = trimSpace(strings.TrimSuffix(strings.TrimSuffix(p, "province"), "省"))
	switch p {
	case "zhejiang", "zj", "浙江", "33":
		return true
	}
	return false
}

// printable reports whether r is a visible character.
func printable(r rune) bool {
	return r > 0x20 && !(r >= 0x7F && r <= 0x9F) && r != utf8.RuneError && !invisible(r)
}

// lastRunes returns the last n runes of rs as a string.
func lastRunes(rs []rune, n int) string {
	if len(rs) > n {
		rs = rs[len(rs)-n:]
	}
	return string(rs)
}

// CheckID validates the last 6 characters of a responsible person's ID
// document. For a resident ID a whole 18-character number is accepted, its
// check character verified and reduced to the last 6: the full number is
// never returned. docType "" means resident-id; province matters only for
// the Zhejiang variant of the Hong Kong/Macau permit. A resident ID's x
// typed in lower case is read as X, with the notice id-x-upper, which keeps
// the value valid.
func CheckID(value, docType, province string, lang Lang) (CheckResult, error) {
	var rs []rune
	var lowerX []bool // lowerX[i]: rs[i] was typed as a lower-case x (x or ｘ)
	for _, r := range value {
		typedX := r == 'x' || r == 'ｘ'
		r = asciiDigit(r)
		if r >= 'ａ' && r <= 'ｚ' {
			r = r - 'ａ' + 'A'
		} else if r >= 'Ａ' && r <= 'Ｚ' {
			r = r - 'Ａ' + 'A'
		}
		if printable(r) {
			rs = append(rs, r)
			lowerX = append(lowerX, typedX)
		}
	}
	switch docType {
	case "", DocResidentID:
		digitsOnly, digitsX := rs[:0:0], lowerX[:0:0]
		for i, r := range rs {
			if !isSeparator(r) {
				digitsOnly = append(digitsOnly, r)
				digitsX = append(digitsX, lowerX[i])
			}
		}
		res := checkResidentID(digitsOnly, lang)
		// The site wants an upper-case X; say so when one was typed lower-case.
		for _, x := range digitsX[max(0, len(digitsX)-6):] {
			if x {
				res.Problems = append(res.Problems, problem("id-x-upper", lang))
				break
			}
		}
		return res, nil
	case DocHKMacauPermit:
		if isZhejiang(province) {
			return checkZhejiangHKID(rs, lang), nil
		}
		return checkLastSix(rs, true, lang), nil
	case DocPassport:
		return checkLastSix(rs, true, lang), nil
	case DocOther:
		return checkLastSix(rs, false, lang), nil
	}
	return CheckResult{}, &Error{
		Code: ECodeUnknownDocType,
		ZH:   "未知的证件类型 " + quote(docType) + "，可用：" + strings.Join(DocTypes, "、"),
		EN:   "unknown document type " + quote(docType) + "; valid types: " + strings.Join(DocTypes, ", "),
	}
}

func checkLastSix(rs []rune, upper bool, lang Lang) CheckResult {
	s := lastRunes(rs, 6)
	if upper {
		s = strings.ToUpper(s)
	}
	switch {
	case len(rs) == 0:
		return result("", lang, "id-empty")
	case len(rs) < 6:
		return result(s, lang, "id-too-short")
	}
	return result(s, lang)
}

// checkZhejiangHKID reads a Hong Kong or Macau identity card number, whole
// or its end, as the Zhejiang authority wants it: three digits and the check
// character in full-width brackets, e.g. 567（8）.
func checkZhejiangHKID(rs []rune, lang Lang) CheckResult {
	if len(rs) == 0 {
		return result("", lang, "id-empty")
	}
	var body []rune
	for _, r := range rs {
		switch r {
		case '(', '（', ')', '）':
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		body = append(body, r)
	}
	if len(body) < 4 {
		return result(string(rs), lang, "id-too-short")
	}
	if isPermitNumber(rs) {
		// The permit on the front (H/M and 8 or 10 digits) is not what
		// Zhejiang asks for; its last 6 would pass for a wrong answer.
		return result(lastRunes(body, 6), lang, "id-zhejiang-format")
	}
	check := body[len(body)-1]
	digits := body[len(body)-4 : len(body)-1]
	s := string(digits) + "（" + string(check) + "）"
	ok := (check >= '0' && check <= '9') || check == 'A'
	for _, d := range digits {
		ok = ok && d >= '0' && d <= '9'
	}
	if !ok {
		return result(s, lang, "id-zhejiang-format")
	}
	return result(s, lang)
}

// isPermitNumber reports whether rs looks like a Hong Kong/Macau travel
// permit number: H or M and 8 or 10 digits, with no brackets.
func isPermitNumber(rs []rune) bool {
	if len(rs) != 9 && len(rs) != 11 {
		return false
	}
	if rs[0] != 'H' && rs[0] != 'M' && rs[0] != 'h' && rs[0] != 'm' {
		return false
	}
	for _, r := range rs[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// residentIDWeights are the ISO 7064 MOD 11-2 weights of the first 17
// characters of an 18-character resident ID.
var residentIDWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentIDCheck maps the weighted sum mod 11 to the check character.
const residentIDCheck = "10X98765432"

func checkResidentID(rs []rune, lang Lang) CheckResult {
	for i, r := range rs {
		if r == 'x' {
			rs[i] = 'X'
		}
	}
	switch len(rs) {
	case 0:
		return result("", lang, "id-empty")
	case 18:
		last6 := lastRunes(rs, 6)
		sum := 0
		for i := 0; i < 17; i++ {
			if rs[i] < '0' || rs[i] > '9' {
				return result(last6, lang, "id-bad-char")
			}
			sum += int(rs[i]-'0') * residentIDWeights[i]
		}
		if r := checkSixShape(rs[12:], last6, lang); !r.Valid {
			return r
		}
		if rune(residentIDCheck[sum%11]) != rs[17] {
			return result(last6, lang, "id-checksum")
		}
		return result(last6, lang)
	case 6:
		return checkSixShape(rs, string(rs), lang)
	}
	return result(lastRunes(rs, 6), lang, "id-length")
}

// checkSixShape checks the last 6 of a resident ID: the birth day, three
// sequence digits and a check digit or X.
func checkSixShape(six []rune, s string, lang Lang) CheckResult {
	for i, r := range six {
		if (r < '0' || r > '9') && !(i == 5 && r == 'X') {
			return result(s, lang, "id-bad-char")
		}
	}
	day := int(six[0]-'0')*10 + int(six[1]-'0')
	if day < 1 || day > 31 {
		return result(s, lang, "id-bad-day")
	}
	return result(s, lang)
}
