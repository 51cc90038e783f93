// @ts-check
// 当前进度 / Status: each round the worker tracks, with the tracker's counts
// now: tries and resends left, time left of the 24 hours (while the round is
// open), the state and the advice for the next step. Phones are masked. A
// record can be cleared, after a confirmation.

import { send } from "../../send.js";
import { el } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { countsLine } from "../../ui/counts.js";
import { roleTitle } from "../../rules.js";
import { confirmInline, recordList } from "./confirm.js";
import { P } from "../../ui/i18n.js";

/** @typedef {import("../../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../../messages.js").RoundView} RoundView */
/** @typedef {import("../shared/tabs.js").Panel} PopupPanel */

/**
 * createStatusPanel asks the worker for the rounds each time it is shown.
 * @param {Promise<HeyanCore>} coreReady for the advice titles
 * @returns {PopupPanel}
 */
export function createStatusPanel(coreReady) {
  const element = el("div", { class: "status" }, [el("p", { class: "muted", text: P.loading })]);

  /**
   * adviceTitle is the title of the knowledge entry the tracker advises.
   * @param {string} id
   */
  async function adviceTitle(id) {
    try {
      return (await coreReady).kb(id, LANG).title;
    } catch (err) {
      // The card is drawn without its next step (the core did not start,
      // say); the counts still show.
      console.warn("heyan: no advice title for", `${id}:`, err instanceof Error ? err.message : err);
      return "";
    }
  }

  /** @param {RoundView} r */
  async function roundCard(r) {
    const rules = (await coreReady).rules(LANG);
    const who = r.people.map((p) => `${p.name} · ${roleTitle(rules, p.role)} · ${p.phoneMasked}`);
    /** @type {HTMLElement[]} */
    const parts = [
      el("div", { class: "head" }, [
        el("h3", { text: r.label }),
        r.track
          ? el("span", { class: `state ${r.track.state}`, text: T.states[r.track.state] || r.track.state })
          : el("span"),
      ]),
    ];
    if (who.length) parts.push(el("p", { class: "muted", text: who.join("；") }));
    if (r.track) {
      for (const w of r.track.warnings)
        parts.push(el("p", { class: "warn", text: w.message, attrs: { "data-code": w.code } }));
      parts.push(el("p", { class: "counts" }, countsLine(r.track, r.approx, Date.now(), rules)));
      const title = await adviceTitle(r.track.advice);
      if (title)
        parts.push(
          el("p", { class: "advice" }, [el("span", { class: "muted", text: P.next }), el("span", { text: title })]),
        );
    } else {
      parts.push(el("p", { class: "muted", text: P.noCounts }));
    }
    if (r.smsAt) parts.push(el("p", { class: "muted small", text: P.smsAt(new Date(r.smsAt).toLocaleString(LANG)) }));
    const slot = el("div", { class: "actions" });
    const clear = el("button", { class: "clear", text: P.clear, attrs: { type: "button" } });
    clear.addEventListener("click", () =>
      confirmInline(slot, P.clearConfirm, P.clearYes, async () => {
        await send({ type: "clear-round", id: r.id });
        await list.show();
      }),
    );
    slot.append(clear);
    parts.push(slot);
    return el("section", { class: "round card", attrs: { "data-id": r.id } }, parts);
  }

  const list = recordList(
    element,
    async () => Promise.all((await send({ type: "rounds", lang: LANG })).map(roundCard)),
    P.noRounds,
  );

  return {
    element,
    show: () => {
      list.show();
    },
    changed: list.changed,
  };
}
