package core

// core keeps its own small clock arithmetic instead of package time: linking
// time adds about 230 KB to the WebAssembly build (its zone loading and
// formatting), a third of what the core may cost. An Instant is all the
// tracker needs, and RFC 3339 is the only text form it reads and writes.

// Instant is a point in time in Unix milliseconds.
type Instant int64

// Durations in milliseconds, for Instant arithmetic.
const (
	Second Instant = 1000
	Minute         = 60 * Second
	Hour           = 60 * Minute
)

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits reads n ASCII digits at s[i:], or returns ok false.
func digits(s string, i, n int) (v int64, ok bool) {
	if i+n > len(s) {
		return 0, false
	}
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// parseRFC3339 reads YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM), the form
// JavaScript's toISOString and Go's time.RFC3339 write. Fractions beyond
// milliseconds are truncated.
func parseRFC3339(s string) (Instant, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") {
		return 0, false
	}
	y, ok1 := digits(s, 0, 4)
	mo, ok2 := digits(s, 5, 2)
	d, ok3 := digits(s, 8, 2)
	h, ok4 := digits(s, 11, 2)
	mi, ok5 := digits(s, 14, 2)
	sec, ok6 := digits(s, 17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	// Years up to 9998 only, so that a deadline a day later still has four digits.
	if y > 9998 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	i := 19
	var ms int64
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if i-start < 3 {
				ms = ms*10 + int64(s[i]-'0')
			}
			i++
		}
		if i == start {
			return 0, false
		}
		for n := i - start; n < 3; n++ {
			ms *= 10
		}
	}
	var offset int64
	switch {
	case i == len(s)-1 && s[i] == 'Z':
	case i == len(s)-6 && (s[i] == '+' || s[i] == '-') && s[i+3] == ':':
		oh, ok1 := digits(s, i+1, 2)
		om, ok2 := digits(s, i+4, 2)
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return 0, false
		}
		offset = (oh*60 + om) * 60
		if s[i] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	unix := daysFromCivil(y, mo, d)*86400 + h*3600 + mi*60 + sec - offset
	return Instant(unix*1000 + ms), true
}

// ParseTime reads an RFC 3339 time, naming what was wrong if it is not one.
func ParseTime(what, s string) (Instant, error) {
	t, ok := parseRFC3339(s)
	if !ok {
		return 0, &Error{
			Code: ECodeBadTime,
			ZH:   what + " 不是 RFC 3339 时间（例如 2026-05-01T09:30:00+08:00）：" + quote(s),
			EN:   what + " is not an RFC 3339 time (e.g. 2026-05-01T09:30:00+08:00): " + quote(s),
		}
	}
	return t, nil
}

func pad2(b []byte, v int64) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

// String formats t as RFC 3339 in UTC, with milliseconds only when present.
func (t Instant) String() string {
	ms := int64(t) % 1000
	sec := int64(t) / 1000
	if ms < 0 {
		ms += 1000
		sec--
	}
	days := sec / 86400
	rem := sec % 86400
	if rem < 0 {
		rem += 86400
		days--
	}
	y, m, d := civilFromDays(days)
	if y < 0 || y > 9999 {
		return "out-of-range"
	}
	b := make([]byte, 0, 24)
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(pad2(b, m), '-')
	b = append(pad2(b, d), 'T')
	b = append(pad2(b, rem/3600), ':')
	b = append(pad2(b, rem/60%60), ':')
	b = pad2(b, rem%60)
	if ms != 0 {
		b = append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	}
	return string(append(b, 'Z'))
}
