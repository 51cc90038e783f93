package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReminderNearTheDeadline saves a filing whose SMS came 20.5 hours ago:
// its 4-hour reminder's moment has passed, so it fires at once, as a
// notification of the extension; the 1-hour one waits as an alarm. The
// worker is then closed and started again, with every alarm cleared as an
// extension update does: the reminders are armed again from the records,
// and the one that fired does not fire again. A browser of its own: closing
// the worker would cut off other tests' messages.
func TestReminderNearTheDeadline(t *testing.T) {
	e := needE2E(t)
	t.Parallel()
	bctx, stop := e.browser(t, t.TempDir(), "zh-CN", true)
	defer stop()
	ctx := tab(t, bctx, 90*time.Second)
	openOptions(t, ctx, "filings")
	sms := time.Now().Add(-20*time.Hour - 30*time.Minute).UTC().Format(time.RFC3339)
	id := evalAwait[string](t, ctx, fmt.Sprintf(`chrome.runtime.sendMessage({type: "put-filing", id: "", lang: "zh-CN",
		filing: {name: "提醒小程序", platform: "douyin-miniapp", scenario: "first-filing", people: [], smsAt: %q}}).then((r) => r.value.saved.id)`, sms))

	sw, _ := serviceWorker(t, ctx)
	// Driven by the records' clock (the SMS 20.5 hours ago), not by waiting.
	deadline := time.Now().Add(15 * time.Second)
	var shown []string
	for {
		shown = evalAwait[[]string](t, sw, `chrome.notifications.getAll().then((n) => Object.keys(n))`)
		if len(shown) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(shown) != 1 || !strings.HasPrefix(shown[0], "heyan-reminder:"+id+":4h:") {
		t.Fatalf("notifications %v, want the 4-hour reminder of filing %s", shown, id)
	}
	waitAlarm := func(sw context.Context, want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			got := evalAwait[[]string](t, sw, `chrome.alarms.getAll().then((as) => as.map((a) => a.name).filter((n) => n.startsWith("heyan-reminder:")))`)
			if len(got) == 1 && strings.HasPrefix(got[0], want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("alarms %v, want one starting %s", got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitAlarm(sw, "heyan-reminder:"+id+":1h:")

	// An update clears the alarms; the worker starts anew.
	evalAwait[bool](t, sw, `chrome.alarms.clearAll().then(() => chrome.notifications.clear(`+fmt.Sprintf("%q", shown[0])+`)).then(() => true)`)
	wctx, closeWorker := chromedp.NewContext(sw, chromedp.WithTargetID(chromedp.FromContext(sw).Target.TargetID))
	eval[bool](t, wctx, `true`)
	closeWorker()
	sw2, _ := serviceWorker(t, ctx)
	waitAlarm(sw2, "heyan-reminder:"+id+":1h:")
	if n := evalAwait[[]string](t, sw2, `chrome.notifications.getAll().then((n) => Object.keys(n))`); len(n) != 0 {
		t.Errorf("after the restart %v were shown again", n)
	}
}
