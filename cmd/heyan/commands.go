package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/heyan-dev/heyan/core"
)

// maxInput bounds what diagnose and track read from stdin: a saved page is
// far smaller, and a runaway pipe should not eat the machine's memory.
const maxInput = 32 << 20

// labels are the words of the readable output, per language.
var labels = map[core.Lang]map[string]string{
	core.LangZH: {
		"cause": "原因", "steps": "怎么办", "none": "没有识别到已知的工信部核验消息。",
		"who": "需要核验的人", "nobody": "这个场景不需要短信核验。", "phone": "手机号", "id": "证件号码后6位",
		"where": "在哪里查", "notes": "注意", "source": "来源", "valid": "有效", "invalid": "无效",
		"supported": "号段可接收核验短信", "normalized": "应填写", "state": "状态", "tries": "核验次数",
		"resends": "重发次数", "deadline": "截止时间", "advice": "建议", "used": "已用", "left": "剩余",
		"text": "页面文字", "links": "链接", "yes": "是", "no": "否", "scenario": "场景",
		"success": "成功", "info": "提示", "warning": "注意", "error": "错误",
		"limits": "限制", "limitsLine": "核验机会 %t 次，重发 %r 次，收到短信后 %w 小时内核验，剩 %s 小时起提醒；抖音“管局审核中”超过 %l 小时算延迟，%c 小时后再看",
		"states": "状态", "open": "进行中", "closed": "已结束", "newSms": "已结束，要有新的核验短信才能继续",
		"verifyForm": "短信核验的结果", "resendForm": "短信重发的结果", "usesTry": "用掉一次机会",
		"usesResend": "用掉一次重发", "noResends": "重发次数已用完", "other": "其他",
		"shownAs": "显示为", "notCounted": "不计数", "roles": "角色", "platforms": "平台",
	},
	core.LangEN: {
		"cause": "Cause", "steps": "What to do", "none": "No known MIIT verification message found.",
		"who": "Who verifies", "nobody": "Nobody needs to verify by SMS in this scenario.", "phone": "Phone", "id": "Last 6 of the ID number",
		"where": "Where to find it", "notes": "Note", "source": "Source", "valid": "valid", "invalid": "invalid",
		"supported": "prefix receives the MIIT SMS", "normalized": "type", "state": "State", "tries": "Tries",
		"resends": "Resends", "deadline": "Deadline", "advice": "Advice", "used": "used", "left": "left",
		"text": "Site text", "links": "Links", "yes": "yes", "no": "no", "scenario": "scenario",
		"success": "OK", "info": "info", "warning": "warning", "error": "error",
		"limits": "Limits", "limitsLine": "%t tries, %r resends, %w hours from the SMS, warned %s hours before the deadline; Douyin's 管局审核中 past %l hours is a delay, look again %c hours later",
		"states": "States", "open": "open", "closed": "closed", "newSms": "closed, a new SMS is needed to go on",
		"verifyForm": "Verify answers", "resendForm": "Resend answers", "usesTry": "uses a try",
		"usesResend": "uses a resend", "noResends": "no resends left", "other": "other",
		"shownAs": "shown as", "notCounted": "not counted", "roles": "Roles", "platforms": "Platforms",
	},
}

func writeSteps(b *strings.Builder, steps []string) {
	for i, s := range steps {
		b.WriteString("  " + strconv.Itoa(i+1) + ". " + s + "\n")
	}
}

func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err == nil && len(data) > maxInput {
		err = errors.New("input is larger than 32 MiB")
	}
	return data, err
}

func runDiagnose(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const synopsis = "[flags] [TEXT...]   (reads stdin when no TEXT is given)"
	var c commonFlags
	fs := newFlagSet("diagnose", &c)
	pos, lang, status, ok := setup(fs, synopsis, &c, args, stdout, stderr)
	if !ok {
		return status
	}
	text := strings.Join(pos, "\n")
	if len(pos) == 0 {
		data, err := readAllLimited(stdin)
		if err != nil {
			errorf(stderr, "heyan diagnose: reading stdin: "+err.Error())
			return exitUsage
		}
		text = string(data)
	}
	d := core.Diagnose(text, lang)
	if c.asJSON {
		explanations := make(map[string]core.MatchExplanation, len(d.Explanations))
		for _, x := range d.Explanations {
			explanations[x.ID] = x
		}
		writeJSON(stdout, map[string]any{"matches": d.Matches, "explanations": explanations})
		return exitOK
	}
	l := labels[lang]
	var b strings.Builder
	if len(d.Matches) == 0 {
		b.WriteString(l["none"] + "\n")
	}
	for i, m := range d.Matches {
		if i > 0 {
			b.WriteString("\n")
		}
		var x core.MatchExplanation
		for _, e := range d.Explanations {
			if e.ID == m.ID {
				x = e
				break
			}
		}
		b.WriteString("[" + l[string(x.Severity)] + "] " + x.Title + "  (" + m.ID)
		if m.Status != nil {
			b.WriteString(", validStatus " + strconv.Itoa(*m.Status))
		}
		b.WriteString(")\n" + l["cause"] + ": " + x.Cause + "\n" + l["steps"] + ":\n")
		writeSteps(&b, x.Steps)
	}
	io.WriteString(stdout, b.String())
	return exitOK
}

func runWho(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	const synopsis = "--platform P --scenario S [flags]"
	var c commonFlags
	fs := newFlagSet("who", &c)
	platform := fs.String("platform", "", "filing platform: "+strings.Join(core.Platforms(), ", "))
	scenario := fs.String("scenario", "", "filing scenario (heyan questions --platform P helps find it)")
	pos, lang, status, ok := setup(fs, synopsis, &c, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 || *platform == "" || *scenario == "" {
		errorf(stderr, "heyan who: needs --platform and --scenario and no other arguments (platforms: "+strings.Join(core.Platforms(), ", ")+")")
		return exitUsage
	}
	res, err := core.Verifiers(*platform, *scenario, lang)
	if err != nil {
		return fail(stderr, "who", lang, err)
	}
	if c.asJSON {
		writeJSON(stdout, res)
		return exitOK
	}
	l := labels[lang]
	var b strings.Builder
	b.WriteString(res.Platform + " · " + res.ScenarioName + "\n")
	if len(res.Verifiers) == 0 {
		b.WriteString(l["nobody"] + "\n")
	} else {
		b.WriteString(l["who"] + ":\n")
	}
	for i, v := range res.Verifiers {
		b.WriteString("  " + strconv.Itoa(i+1) + ". " + v.Title + " (" + v.Role + ")\n")
		b.WriteString("     " + l["phone"] + ": " + v.Phone + "\n")
		b.WriteString("     " + l["id"] + ": " + v.IDSuffix + "\n")
		b.WriteString("     " + l["where"] + ": " + v.WhereToFind + "\n")
	}
	for _, n := range res.Notes {
		b.WriteString(l["notes"] + ": " + n + "\n")
	}
	b.WriteString(l["source"] + ": " + res.Source + "\n")
	io.WriteString(stdout, b.String())
	return exitOK
}

func runQuestions(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	const synopsis = "--platform P [flags]"
	var c commonFlags
	fs := newFlagSet("questions", &c)
	platform := fs.String("platform", "", "filing platform: "+strings.Join(core.Platforms(), ", "))
	pos, lang, status, ok := setup(fs, synopsis, &c, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 || *platform == "" {
		errorf(stderr, "heyan questions: needs --platform and no other arguments (platforms: "+strings.Join(core.Platforms(), ", ")+")")
		return exitUsage
	}
	res, err := core.Questions(*platform, lang)
	if err != nil {
		return fail(stderr, "questions", lang, err)
	}
	if c.asJSON {
		writeJSON(stdout, res)
		return exitOK
	}
	l := labels[lang]
	answer := func(a core.Answer) string {
		if a.Scenario != "" {
			return l["scenario"] + " " + a.Scenario
		}
		return "→ " + a.Next
	}
	var b strings.Builder
	for _, q := range res.Questions {
		b.WriteString("[" + q.ID + "] " + q.Text + "\n")
		b.WriteString("    " + l["yes"] + ": " + answer(q.Yes) + "    " + l["no"] + ": " + answer(q.No) + "\n")
	}
	io.WriteString(stdout, b.String())
	return exitOK
}

func runCheck(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	const synopsis = "phone|id|code VALUE [--doc TYPE] [--province P] [flags]"
	var c commonFlags
	fs := newFlagSet("check", &c)
	doc := fs.String("doc", core.DocResidentID, "ID document type: "+strings.Join(core.DocTypes, ", "))
	province := fs.String("province", "", "province of the filing (zhejiang changes the Hong Kong/Macau rule)")
	pos, lang, status, ok := setup(fs, synopsis, &c, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) != 2 {
		errorf(stderr, "heyan check: expected WHAT VALUE, where WHAT is phone, id or code (e.g. heyan check phone 13800138000)")
		return exitUsage
	}
	var res core.CheckResult
	switch pos[0] {
	case "phone":
		res = core.CheckPhone(pos[1], lang)
	case "code":
		res = core.CheckCode(pos[1], lang)
	case "id":
		var err error
		res, err = core.CheckID(pos[1], *doc, *province, lang)
		if err != nil {
			return fail(stderr, "check", lang, err)
		}
	default:
		errorf(stderr, "heyan check: unknown kind "+quoteArg(pos[0])+": use phone, id or code")
		return exitUsage
	}
	if c.asJSON {
		writeJSON(stdout, res)
	} else {
		l := labels[lang]
		var b strings.Builder
		verdict := "✓ " + l["valid"]
		if !res.Valid {
			verdict = "✗ " + l["invalid"]
		}
		b.WriteString(verdict + "  " + l["normalized"] + ": " + res.Normalized + "\n")
		if res.Supported != nil && *res.Supported {
			b.WriteString("  " + l["supported"] + "\n")
		}
		for _, p := range res.Problems {
			b.WriteString("  - " + p.Message + " (" + p.Code + ")\n")
		}
		io.WriteString(stdout, b.String())
	}
	return exitOK
}

func runTrack(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const synopsis = "[--now RFC3339] [flags] < events.json   (a JSON array of {\"type\",\"status\",\"at\"})"
	var c commonFlags
	fs := newFlagSet("track", &c)
	nowFlag := fs.String("now", "", "the time to evaluate at, RFC 3339 (default: now)")
	pos, lang, status, ok := setup(fs, synopsis, &c, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		errorf(stderr, "heyan track: reads events from stdin and takes no arguments")
		return exitUsage
	}
	now := core.Instant(time.Now().UnixMilli())
	if *nowFlag != "" {
		t, err := core.ParseTime("--now", *nowFlag)
		if err != nil {
			return fail(stderr, "track", lang, err)
		}
		now = t
	}
	data, err := readAllLimited(stdin)
	if err != nil {
		errorf(stderr, "heyan track: reading stdin: "+err.Error())
		return exitUsage
	}
	events, err := decodeEvents(data)
	if err != nil {
		errorf(stderr, "heyan track: "+err.Error())
		return exitUsage
	}
	res, err := core.Track(events, now, lang)
	if err != nil {
		return fail(stderr, "track", lang, err)
	}
	if c.asJSON {
		writeJSON(stdout, res)
		return exitOK
	}
	l := labels[lang]
	var b strings.Builder
	b.WriteString(l["state"] + ": " + res.State + "\n")
	b.WriteString(l["tries"] + ": " + l["used"] + " " + strconv.Itoa(res.AttemptsUsed) + ", " + l["left"] + " " + strconv.Itoa(res.AttemptsLeft) + "\n")
	b.WriteString(l["resends"] + ": " + l["used"] + " " + strconv.Itoa(res.ResendsUsed) + ", " + l["left"] + " " + strconv.Itoa(res.ResendsLeft) + "\n")
	if res.Deadline != nil {
		b.WriteString(l["deadline"] + ": " + beijingTime(*res.Deadline) + "\n")
	}
	for _, w := range res.Warnings {
		b.WriteString("! " + w.Message + "\n")
	}
	if e, err := core.Lookup(res.Advice); err == nil {
		x := e.Explain(lang)
		b.WriteString(l["advice"] + ": " + x.Title + " (" + e.ID + ")\n")
		writeSteps(&b, x.Steps)
	}
	io.WriteString(stdout, b.String())
	return exitOK
}

// beijingTime shows an RFC 3339 time as the MIIT site's users read it.
func beijingTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.In(time.FixedZone("UTC+8", 8*3600)).Format("2006-01-02 15:04 (UTC+8)")
}

// decodeEvents reads the track command's events strictly, naming the event
// and field that is wrong.
func decodeEvents(data []byte) ([]core.Event, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("no events on stdin: expected a JSON array like [{\"type\":\"sms-received\",\"at\":\"2026-05-01T09:00:00+08:00\"}]")
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, errors.New("stdin is not a JSON array of events: " + err.Error())
	}
	events := make([]core.Event, 0, len(raw))
	for i, r := range raw {
		var e core.Event
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, errors.New("event " + strconv.Itoa(i) + ": " + err.Error() + " (fields: type, status, at)")
		}
		events = append(events, e)
	}
	return events, nil
}

func runKB(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	const synopsis = "[ID] [flags]   (lists every ID when none is given)"
	var c commonFlags
	fs := newFlagSet("kb", &c)
	pos, lang, status, ok := setup(fs, synopsis, &c, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 1 {
		errorf(stderr, "heyan kb: takes at most one ID")
		return exitUsage
	}
	if len(pos) == 0 {
		entries := core.Entries()
		views := make([]core.EntryView, 0, len(entries))
		var b strings.Builder
		for _, e := range entries {
			views = append(views, e.View(lang))
			b.WriteString(pad(e.ID, 24) + pad(e.Kind, 10) + e.Explain(lang).Title + "\n")
		}
		if c.asJSON {
			writeJSON(stdout, map[string]any{"entries": views})
		} else {
			io.WriteString(stdout, b.String())
		}
		return exitOK
	}
	e, err := core.Lookup(pos[0])
	if err != nil {
		return fail(stderr, "kb", lang, err)
	}
	v := e.View(lang)
	if c.asJSON {
		writeJSON(stdout, v)
		return exitOK
	}
	l := labels[lang]
	var b strings.Builder
	b.WriteString("[" + l[string(v.Severity)] + "] " + v.Title + "  (" + v.ID + ")\n")
	if v.Text != "" {
		b.WriteString(l["text"] + ": " + v.Text + "\n")
	}
	b.WriteString(l["cause"] + ": " + v.Cause + "\n" + l["steps"] + ":\n")
	writeSteps(&b, v.Steps)
	for _, k := range v.Links {
		b.WriteString(l["links"] + ": " + k.Label + " " + k.URL + "\n")
	}
	b.WriteString(l["source"] + ": " + v.Source + "\n")
	io.WriteString(stdout, b.String())
	return exitOK
}

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var c commonFlags
	fs := newFlagSet("rules", &c)
	pos, lang, status, ok := setup(fs, "[flags]", &c, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		errorf(stderr, "heyan rules: takes no arguments")
		return exitUsage
	}
	r := core.Rules(lang)
	if c.asJSON {
		writeJSON(stdout, r)
		return exitOK
	}
	l := labels[lang]
	var b strings.Builder
	b.WriteString(l["limits"] + ": " + strings.NewReplacer(
		"%t", strconv.Itoa(r.Limits.Tries), "%r", strconv.Itoa(r.Limits.Resends),
		"%w", strconv.Itoa(r.Limits.WindowHours), "%s", strconv.Itoa(r.Limits.DeadlineSoonHours),
		"%l", strconv.Itoa(r.Limits.StatusLagHours), "%c", strconv.Itoa(r.Limits.StatusRecheckHours),
	).Replace(l["limitsLine"]) + "\n")
	b.WriteString(l["states"] + ":\n")
	for _, s := range r.States {
		what := l["open"]
		switch {
		case s.NeedsNewSMS:
			what = l["newSms"]
		case s.Closed:
			what = l["closed"]
		}
		b.WriteString("  " + pad(s.ID, 16) + what + "\n")
	}
	for _, f := range []struct {
		label string
		rule  core.FormRule
	}{{l["verifyForm"], r.Forms.Verify}, {l["resendForm"], r.Forms.Resend}} {
		b.WriteString(f.label + " (" + f.rule.Event + "):\n")
		for _, a := range f.rule.Answers {
			var what []string
			if a.ConsumesTry {
				what = append(what, l["usesTry"])
			}
			if a.State != nil {
				what = append(what, "→ "+*a.State)
			}
			if a.Resend != nil {
				if *a.Resend == core.ResendSent {
					what = append(what, l["usesResend"])
				} else {
					what = append(what, l["noResends"])
				}
			}
			b.WriteString(strings.TrimRight("  "+pad(strconv.Itoa(a.Status), 5)+pad(a.ID, 22)+strings.Join(what, ", "), " ") + "\n")
		}
		other := l["notCounted"]
		if f.rule.UnknownRecorded {
			other = l["usesTry"]
		}
		b.WriteString("  " + l["other"] + ": " + l["shownAs"] + " " + f.rule.OtherShownAs + ", " + other + "\n")
	}
	b.WriteString(l["roles"] + ":\n")
	for _, x := range r.Roles {
		b.WriteString("  " + pad(x.ID, 16) + x.Title + "\n")
	}
	b.WriteString(l["platforms"] + ":\n")
	for _, p := range r.Platforms {
		b.WriteString("  " + pad(p.ID, 16) + p.Name + "\n")
		for _, x := range p.Roles {
			b.WriteString("    " + pad(x.ID, 14) + x.Title + "\n")
		}
	}
	io.WriteString(stdout, b.String())
	return exitOK
}
