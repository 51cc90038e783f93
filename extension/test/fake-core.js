// A stand-in for the core where a test is about the worker's bookkeeping,
// not the rules: phones and IDs pass through, the tracker counts wrong tries
// (status 0 and 2), 21 returns the filing, 3 completes it, and a round
// expires 24 hours after its first SMS. The real core is tested against the
// real rules in wasm/ and by the browser tests.

const DAY = 864e5;

export const fakeCore = {
  checkPhone: (v) => ({ valid: /^1\d{10}$/.test(v), normalized: v, problems: [], supported: true }),
  checkId: (v) => ({ valid: v.length === 6, normalized: v.toUpperCase(), problems: [] }),
  track(events, now) {
    if (events.some((e) => e.type === "nonsense")) throw Object.assign(new Error("bad-event"), { code: "bad-event" });
    const sms = events.filter((e) => e.type === "sms-received").map((e) => Date.parse(e.at));
    const first = sms.length ? sms[sms.length - 1] : Date.parse(now);
    const results = events.filter((e) => e.type === "verify-result");
    const used = results.filter((e) => e.status === 0 || e.status === 2).length;
    let state = "pending";
    if (results.some((e) => e.status === 3)) state = "complete";
    else if (results.some((e) => e.status === 21)) state = "returned";
    else if (Date.parse(now) >= first + DAY) state = "expired";
    return { state, attemptsUsed: used, attemptsLeft: Math.max(0, 5 - used), resendsUsed: 0, resendsLeft: 2, deadline: new Date(first + DAY).toISOString(), advice: "", warnings: [] };
  },
};
