package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReplicaWithoutExtension checks the replica itself: v-model ignores a
// value set without an input event, typed values reach the API after the
// captcha, and the banner shows the scripted status.
func TestReplicaWithoutExtension(t *testing.T) {
	e := needE2E(t)
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", false)
	defer stop()
	ctx := tab(t, bctx, 60*time.Second)
	do(t, ctx, chromedp.Navigate(e.url("/Integrated/ComplaintA", "lockms=200")))
	waitJS(t, ctx, `document.querySelector(".Submission")`, 10*time.Second)
	// Set without events: the model stays empty, the page's own alert says so.
	eval[chromedp.Void](t, ctx, `(() => { const c = document.querySelector('.tab-card');
		c.querySelector('input[placeholder="请输短信验证码"]').value = "123456";
		c.querySelector('input[placeholder="请输入手机号"]').value = "13800138000"; })()`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tab-card[style*="block"] .Submission`)))
	waitJS(t, ctx, `document.querySelector("#alertFram")`, 5*time.Second)
	if got := eval[string](t, ctx, `document.querySelector("#alertFram .alert-msg").textContent`); got != "短信验证码不能为空" {
		t.Fatalf("alert = %q, want 短信验证码不能为空", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`#alertFram input`)))
	waitJS(t, ctx, `!document.querySelector("#alertFram")`, 5*time.Second)
	do(t, ctx, chromedp.Reload())
	waitJS(t, ctx, `document.querySelector(".Submission")`, 10*time.Second)
	e.replica.Script("13800138000", Answer{Status: 2})
	typeVerify(t, ctx, "13800138000", "12345X")
	time.Sleep(250 * time.Millisecond)
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tab-card[style*="block"] .Submission`)))
	if a := eval[string](t, ctx, `(document.querySelector("#alertFram")||{}).textContent || ""`); a != "" {
		screenshot(t, ctx, e, "debug")
		t.Fatalf("alert %q", a)
	}
	solveCaptcha(t, ctx)
	waitJS(t, ctx, `document.querySelector(".tips span").textContent.includes("请输入正确的信息")`, 5*time.Second)
	screenshot(t, ctx, e, "replica-complaint")
	// The site's own lock: 提交 is disabled for 3 seconds after a click, then
	// enabled again. Timed in the page, from the click to the re-enabling.
	do(t, ctx, chromedp.Navigate(e.url("/Integrated/ComplaintA", "")))
	waitJS(t, ctx, `document.querySelector(".Submission")`, 10*time.Second)
	eval[bool](t, ctx, `(() => {
		const b = document.querySelector(".tab-card .Submission");
		window.lockTimes = {};
		b.addEventListener("click", () => { lockTimes.click = performance.now() }, true);
		new MutationObserver(() => {
			if (b.disabled && !lockTimes.locked) lockTimes.locked = performance.now();
			if (!b.disabled && lockTimes.locked && !lockTimes.free) lockTimes.free = performance.now();
		}).observe(b, {attributes: true, attributeFilter: ["disabled"]});
		return true;
	})()`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`.tab-card[style*="block"] .Submission`)))
	waitJS(t, ctx, `window.lockTimes.free`, 10*time.Second)
	lock := eval[map[string]float64](t, ctx, `window.lockTimes`)
	if held := lock["free"] - lock["click"]; lock["locked"] == 0 || held < 2950 || held > 6000 {
		t.Fatalf("提交 locked %v, for %.0f ms after the click; want locked, re-enabled near 3000 ms", lock["locked"] != 0, held)
	}
}
