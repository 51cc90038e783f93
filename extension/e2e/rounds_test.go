package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// storedState is the worker's chrome.storage.local state, as the worker reads it.
type storedState struct {
	People []struct{ Name, Phone, Filing string }
	Series map[string]struct {
		Events []struct {
			Type   string
			Status *int
			At     string
		}
		SmsAsked bool
		FromText bool
	}
}

func workerState(t testing.TB, ctx context.Context) storedState {
	t.Helper()
	sw, _ := serviceWorker(t, ctx)
	raw := evalAwait[string](t, sw, `readState().then((s) => JSON.stringify(s))`)
	var s storedState
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// waitBar waits until the visible tab's bar says want.
func waitBar(t testing.TB, ctx context.Context, want string) {
	t.Helper()
	waitExt(t, ctx, fmt.Sprintf(`(%s?.textContent || "").includes(%q)`, jsBar, want), 10*time.Second)
}

// TestTypingStoresNothing types a phone and an ID: the bar shows a fresh
// round's counts, but nothing is stored under that phone until an answer
// comes. The core runs in the page, loaded through the wasm's dynamic URL.
func TestTypingStoresNothing(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138170"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	if got := eval[string](t, ctx, jsCoreWay); got != "in-page" {
		t.Fatalf("core path = %q, want in-page (the wasm is web-accessible through its dynamic URL)", got)
	}
	typeInto(t, ctx, "请输短信验证码", "123456")
	typeInto(t, ctx, "请输入手机号", phone)
	typeInto(t, ctx, "请输入证件号码后6位", "150012")
	waitBar(t, ctx, "剩余核验机会：5/5")
	if _, ok := workerState(t, ctx).Series["phone:"+phone]; ok {
		t.Fatal("typing a phone stored a round under it")
	}
	sw, _ := serviceWorker(t, ctx)
	if !eval[bool](t, sw, `chrome.runtime.getManifest().web_accessible_resources.every((r) => r.use_dynamic_url === true)`) {
		t.Error("the wasm is web-accessible without use_dynamic_url")
	}
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitBar(t, ctx, "剩余核验机会：4/5")
	if s, ok := workerState(t, ctx).Series["phone:"+phone]; !ok || len(s.Events) != 2 {
		t.Fatalf("after one answer the round is %+v (stored: %v), want the SMS and the answer", s, ok)
	}
}

// TestNewRoundAfterReturn answers 21 (the filing was returned): the bar asks
// whether a new SMS came, and the answer starts a new round with 5 tries
// and 2 resends; the next wrong try counts in it.
func TestNewRoundAfterReturn(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	ctx := e.sharedTab(t, 60*time.Second)
	phone := "13800138160"
	openForm(t, ctx, e, "/Integrated/ComplaintA", "lockms=300")
	typeInto(t, ctx, "请输短信验证码", "123456")
	typeInto(t, ctx, "请输入手机号", phone)
	typeInto(t, ctx, "请输入证件号码后6位", "150012")
	e.replica.Script(phone, Answer{Status: 2}, Answer{Status: 21})
	submitAndSolve(t, ctx)
	waitBar(t, ctx, "剩余核验机会：4/5")
	submitAndSolve(t, ctx)
	waitCard(t, ctx, title(t, "verify-returned", "zh-CN"))
	waitExt(t, ctx, jsBar+`.querySelector('.ask:not([hidden])')?.textContent.includes("收到新的核验短信了吗")`, 10*time.Second)
	screenshot(t, ctx, e, "bar-new-sms-question")
	clickExt(t, ctx, jsBar+`.querySelector(".ask .primary")`)
	waitExt(t, ctx, jsBar+`.querySelector(".ask[hidden]")`, 5*time.Second)
	waitBar(t, ctx, "剩余核验机会：5/5")
	waitBar(t, ctx, "重发剩余：2/2")
	s := workerState(t, ctx).Series["phone:"+phone]
	if n := len(s.Events); n != 4 || s.Events[3].Type != "sms-received" {
		t.Fatalf("round events = %+v, want a new sms-received appended after the return", s.Events)
	}
	e.replica.Script(phone, Answer{Status: 2})
	submitAndSolve(t, ctx)
	waitBar(t, ctx, "剩余核验机会：4/5")
}
