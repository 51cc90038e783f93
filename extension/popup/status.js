// @ts-check
// 当前进度 / Status: each filing (or phone) the worker tracks, with the
// tracker's counts now: tries and resends left, time left of the 24 hours,
// the state and the advice for the next step. Phones are masked. A record
// can be cleared, after a confirmation.

/**
 * createStatusPanel asks the worker for the rounds each time it is shown.
 * @param {Promise<HeyanCore>} coreReady for the advice titles
 * @returns {PopupPanel}
 */
function createStatusPanel(coreReady) {
  const element = el("div", { class: "status" }, [el("p", { class: "muted", text: P.loading })]);

  /**
   * adviceTitle is the title of the knowledge entry the tracker advises.
   * @param {string} id
   */
  async function adviceTitle(id) {
    try {
      return (await coreReady).kb(id, LANG).title;
    } catch {
      return "";
    }
  }

  /** @param {RoundView} r */
  async function roundCard(r) {
    const who = r.people.map((p) => `${p.name} · ${T.roles[p.role] || p.role} · ${p.phoneMasked}`);
    /** @type {HTMLElement[]} */
    const parts = [
      el("div", { class: "head" }, [
        el("h3", { text: r.label }),
        r.track ? el("span", { class: "state " + r.track.state, text: P.states[r.track.state] || r.track.state }) : el("span"),
      ]),
    ];
    if (who.length) parts.push(el("p", { class: "muted", text: who.join("；") }));
    if (r.track) {
      for (const w of r.track.warnings) parts.push(el("p", { class: "warn", text: w.message, attrs: { "data-code": w.code } }));
      const counts = [r.approx ? T.triesLeftAtMost(r.track.attemptsLeft) : T.triesLeft(r.track.attemptsLeft), T.resendsLeft(r.track.resendsLeft)];
      const left = timeLeftText(r.track.deadline, Date.now());
      if (left) counts.push(left);
      parts.push(el("p", { class: "counts" }, counts.map((c) => el("span", { text: c }))));
      const title = await adviceTitle(r.track.advice);
      if (title) parts.push(el("p", { class: "advice" }, [el("span", { class: "muted", text: P.next }), el("span", { text: title })]));
    } else {
      parts.push(el("p", { class: "muted", text: P.noCounts }));
    }
    if (r.smsAt) parts.push(el("p", { class: "muted small", text: P.smsAt(new Date(r.smsAt).toLocaleString(LANG)) }));
    const slot = el("div", { class: "actions" });
    const clear = el("button", { class: "clear", text: P.clear, attrs: { type: "button" } });
    clear.addEventListener("click", () => confirmInline(slot, P.clearConfirm, P.clearYes, async () => {
      await send({ type: "clear-round", key: r.key });
      await show();
    }));
    slot.append(clear);
    parts.push(slot);
    return el("section", { class: "round card", attrs: { "data-key": r.key } }, parts);
  }

  let showing = 0;
  /** A redraw for a change elsewhere waits for the open question to close. */
  let stale = false;
  /** @param {boolean} [elsewhere] the redraw is for a change made elsewhere */
  async function show(elsewhere = false) {
    const run = ++showing;
    try {
      const rounds = await send({ type: "rounds", lang: LANG });
      const cards = await Promise.all(rounds.map(roundCard));
      if (run !== showing) return;
      if (elsewhere && openQuestion(element)) {
        stale = true;
        return;
      }
      stale = false;
      element.replaceChildren(...(cards.length ? cards : [el("p", { class: "muted empty", text: P.noRounds })]));
    } catch (err) {
      if (run === showing && !(elsewhere && openQuestion(element))) element.replaceChildren(el("p", { class: "notice", text: String(err instanceof Error ? err.message : err) }));
    }
  }
  element.addEventListener(QUESTION_CLOSED_EVENT, () => { if (stale) show(true); });

  return { element, show: () => { show(); }, changed: () => show(true) };
}
