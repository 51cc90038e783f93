package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func runCLI(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCLI(t *testing.T) {
	events := `[{"type":"sms-received","at":"2026-05-01T09:00:00+08:00"},{"type":"verify-result","status":2,"at":"2026-05-01T09:10:00+08:00"}]`
	for _, c := range []struct {
		name       string
		stdin      string
		args       []string
		code       int
		out, errs  string // fragments that must appear
		notOut     string
		stderrLine bool // stderr must be exactly one line
	}{
		{"help", "", []string{"--help"}, 0, "diagnose", "", "", false},
		{"no command", "", nil, 2, "", "Usage: heyan COMMAND", "", false},
		{"unknown command", "", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`, "", true},
		{"diagnose args", "", []string{"diagnose", "尊敬的ICP用户：您的短信核验失败，请输入正确的信息"}, 0, "证件号码后 6 位", "", "", false},
		{"diagnose stdin", "您的短信核验失败,请联系接入商查询核验结果。", []string{"diagnose", "--lang", "en"}, 0, "Out of tries", "", "", false},
		{"diagnose nothing", "短信核验失败", []string{"diagnose"}, 0, "没有识别到", "", "", false},
		{"diagnose json", "", []string{"diagnose", "--json", "手机号不能为空"}, 0, `"id": "form-phone-empty"`, "", "", false},
		{"diagnose bad lang", "", []string{"diagnose", "--lang", "fr", "x"}, 2, "", "unknown language", "", true},
		{"diagnose bad flag", "", []string{"diagnose", "--bogus"}, 2, "", "flag provided but not defined: -bogus", "", true},
		{"diagnose help", "", []string{"diagnose", "--help"}, 0, "--lang", "", "", false},
		{"who", "", []string{"who", "--platform", "douyin-miniapp", "--scenario", "renamed"}, 0, "小程序负责人", "", "", false},
		{"who nobody", "", []string{"who", "--platform", "website", "--scenario", "leave-provider", "--lang", "en"}, 0, "Nobody needs to verify", "", "", false},
		{"who unknown platform", "", []string{"who", "--platform", "wechat", "--scenario", "x", "--lang", "en"}, 2, "", "valid platforms: douyin-miniapp, website, app", "", true},
		{"who unknown scenario", "", []string{"who", "--platform", "website", "--scenario", "x"}, 2, "", "first-filing、new-service", "", true},
		{"who missing flags", "", []string{"who"}, 2, "", "needs --platform and --scenario", "", true},
		{"questions", "", []string{"questions", "--platform", "douyin-miniapp", "--lang", "en"}, 0, "renamed", "", "", false},
		{"check phone", "", []string{"check", "phone", "+86 138-0013-8000"}, 0, "13800138000", "", "", false},
		{"check phone unsupported", "", []string{"check", "phone", "14500138000", "--lang", "en"}, 0, "not in the table", "", "", false},
		{"check phone invalid", "", []string{"check", "phone", "12345"}, 0, "phone-length", "", "", false},
		{"check id invalid json", "", []string{"check", "--json", "id", "32002X"}, 0, `"valid": false`, "", "", false},
		{"flags after --", "", []string{"diagnose", "--", "手机号不能为空", "--json"}, 0, "[", "", `"id"`, false},
		{"check id whole", "", []string{"check", "id", "11010519491231002x"}, 0, "31002X", "", "11010519491231002", false},
		{"check id flags after", "", []string{"check", "id", "A123456(7)", "--doc", "hk-macau-permit", "--province", "zhejiang"}, 0, "456（7）", "", "", false},
		{"check id bad doc", "", []string{"check", "id", "31002X", "--doc", "licence", "--lang", "en"}, 2, "", "valid types: resident-id", "", true},
		{"check code", "", []string{"check", "code", "１２３４５６"}, 0, "123456", "", "", false},
		{"check what", "", []string{"check", "email", "x"}, 2, "", "use phone, id or code", "", true},
		{"check missing value", "", []string{"check", "phone"}, 2, "", "expected WHAT VALUE", "", true},
		{"track", events, []string{"track", "--now", "2026-05-01T10:00:00+08:00", "--lang", "en"}, 0, "used 1, left 4", "", "", false},
		{"track json", events, []string{"track", "--json", "--now", "2026-05-01T10:00:00+08:00"}, 0, `"attemptsLeft": 4`, "", "", false},
		{"track empty stdin", "", []string{"track"}, 2, "", "no events on stdin", "", true},
		{"track not json", "[{", []string{"track"}, 2, "", "not a JSON array", "", true},
		{"track unknown field", `[{"type":"sms-received","at":"2026-05-01T09:00:00+08:00","phone":"13800138000"}]`, []string{"track"}, 2, "", `event 0: json: unknown field "phone"`, "", true},
		{"track bad type", `[{"type":"sms","at":"2026-05-01T09:00:00+08:00"}]`, []string{"track", "--lang", "en"}, 2, "", "unknown type", "", true},
		{"track bad now", events, []string{"track", "--now", "tomorrow", "--lang", "en"}, 2, "", "--now is not an RFC 3339 time", "", true},
		{"kb", "", []string{"kb", "verify-returned"}, 0, "您的短信核验失败,请联系接入商查询核验结果。", "", "", false},
		{"kb list", "", []string{"kb"}, 0, "faq-no-sms", "", "", false},
		{"kb unknown", "", []string{"kb", "nope", "--lang", "en"}, 2, "", `no knowledge entry "nope"`, "", true},
		{"rules", "", []string{"rules"}, 0, "verify-failed-retry", "", "", false},
		{"rules en", "", []string{"rules", "--lang", "en"}, 0, "Mini-program owner (小程序负责人)", "", "", false},
		{"rules json", "", []string{"rules", "--json"}, 0, `"windowHours": 24`, "", "", false},
		{"rules no args", "", []string{"rules", "x"}, 2, "", "takes no arguments", "", true},
		{"check id lower x", "", []string{"check", "id", "31002x", "--lang", "en"}, 0, "read as an upper-case X", "", "", false},
		{"version", "", []string{"version"}, 0, "heyan ", "", "", false},
	} {
		code, out, errs := runCLI(c.stdin, c.args...)
		if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errs, c.errs) || (c.notOut != "" && strings.Contains(out, c.notOut)) {
			t.Errorf("%s: heyan %q exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout containing %q, stderr containing %q", c.name, c.args, code, out, errs, c.code, c.out, c.errs)
		}
		if c.stderrLine && strings.Count(errs, "\n") != 1 {
			t.Errorf("%s: stderr is not one line: %q", c.name, errs)
		}
	}
}

// TestJSONFieldNames pins the --json interface.
func TestJSONFieldNames(t *testing.T) {
	for _, c := range []struct {
		args  []string
		stdin string
		keys  []string
	}{
		{[]string{"diagnose", "--json", "您的短信核验失败,请您重新验证。"}, "", []string{"explanations", "matches"}},
		{[]string{"who", "--json", "--platform", "website", "--scenario", "first-filing"}, "", []string{"notes", "platform", "scenario", "scenarioName", "source", "verifiers"}},
		{[]string{"check", "--json", "phone", "13800138000"}, "", []string{"normalized", "problems", "supported", "valid"}},
		{[]string{"check", "--json", "code", "123456"}, "", []string{"normalized", "problems", "valid"}},
		{[]string{"track", "--json", "--now", "2026-05-01T10:00:00+08:00"}, "[]", []string{"advice", "attemptsLeft", "attemptsUsed", "deadline", "resendsLeft", "resendsUsed", "state", "warnings"}},
		{[]string{"kb", "--json", "verify-complete"}, "", []string{"cause", "consumesTry", "id", "kind", "links", "severity", "source", "status", "steps", "text", "title"}},
		{[]string{"rules", "--json"}, "", []string{"forms", "limits", "platforms", "roles", "states"}},
	} {
		code, out, errs := runCLI(c.stdin, c.args...)
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 {
			t.Errorf("heyan %q: exit %d, %v\n%s%s", c.args, code, err, out, errs)
			continue
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, c.keys) {
			t.Errorf("heyan %q keys = %v, want %v", c.args, keys, c.keys)
		}
	}
	_, out, _ := runCLI("", "diagnose", "--json", "您的短信核验失败,请您重新验证。")
	var d struct {
		Matches      []map[string]any          `json:"matches"`
		Explanations map[string]map[string]any `json:"explanations"`
	}
	json.Unmarshal([]byte(out), &d)
	if len(d.Matches) != 1 || d.Matches[0]["status"] != float64(0) || len(d.Matches[0]) != 2 {
		t.Errorf("diagnose match = %v, want id and status 0", d.Matches)
	}
	if x := d.Explanations["verify-failed-retry"]; len(d.Explanations) != 1 || len(x) != 6 || x["id"] != "verify-failed-retry" || x["status"] != float64(0) {
		t.Errorf("diagnose explanations = %v, want verify-failed-retry's id,status,severity,title,cause,steps", d.Explanations)
	}
	_, out, _ = runCLI("", "diagnose", "--json", "手机号不能为空")
	if !strings.Contains(out, `"status": null`) {
		t.Errorf("a form alert's status must be null: %s", out)
	}
}
