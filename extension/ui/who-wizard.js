// @ts-check
// 谁来核验 / Who verifies, as a wizard: pick the platform, answer the core's
// yes/no questions (at most 3 on any path), then the core's answer for that
// scenario: each verifier's phone and ID last 6, where the filed values are,
// the notes and the source. Back goes one answer up; Start over to the start.
// The popup shows it as a tab; the options page uses it to choose a filing's
// scenario (onScenario, and an action under the answer).

import { el } from "./dom.js";
import { LANG, T } from "./i18n.js";
import { platformName } from "../rules.js";

/** @typedef {import("../../wasm/heyan-core").Question} WizardQuestion */
/** @typedef {import("../../wasm/heyan-core").WhoResult} WhoAnswer */
/** @typedef {import("../../wasm/heyan-core").Platform} Platform */
/** @typedef {import("../messages.js").HeyanCore} HeyanCore */

/**
 * @typedef {{
 *   platform: Platform,
 *   questions: Map<string, WizardQuestion>,
 *   answers: {question: WizardQuestion, yes: boolean}[]
 * }} Walk
 */

/**
 * @typedef {{
 *   onScenario?: (who: WhoAnswer) => void,
 *   action?: (who: WhoAnswer) => HTMLElement | null,
 *   headingLevel?: "h2" | "h3",
 *   platform?: Platform | ""
 * }} WizardOptions
 * onScenario: told when a scenario is reached; action: a control to put
 * under the answer (the options page's "use this scenario"); platform: start
 * with its questions (the platform chosen already).
 */

/**
 * createWhoWizard makes the wizard.
 * @param {Promise<HeyanCore>} coreReady
 * @param {WizardOptions} [opts]
 * @returns {{element: HTMLElement, restart: () => void}}
 */
export function createWhoWizard(coreReady, opts = {}) {
  const H = opts.headingLevel || "h2";
  const element = el("div", { class: "who" });
  /** @type {Walk | null} */
  let walk = null;

  /**
   * where a walk stands: the question to answer now, or the scenario reached.
   * @param {Walk} w
   * @returns {{question: WizardQuestion | null, scenario: string}}
   */
  function position(w) {
    let question = /** @type {WizardQuestion | null} */ (w.questions.values().next().value || null);
    for (const a of w.answers) {
      const to = a.yes ? a.question.yes : a.question.no;
      if (to.scenario) return { question: null, scenario: to.scenario };
      question = (to.next && w.questions.get(to.next)) || null;
    }
    return { question, scenario: "" };
  }

  /** @param {string} text @param {() => void} onClick @param {string} [cls] */
  const button = (text, onClick, cls = "") => {
    const b = el("button", { class: cls, text, attrs: { type: "button" } });
    b.addEventListener("click", onClick);
    return b;
  };

  /** @param {HeyanCore} core */
  function pickPlatform(core) {
    const choices = core.rules(LANG).platforms.map((p) => {
      const b = button(
        p.name,
        () => {
          start(p.id);
        },
        "choice",
      );
      b.setAttribute("data-platform", p.id);
      return b;
    });
    return [el(H, { text: T.pickPlatform, attrs: { tabindex: "-1" } }), el("div", { class: "choices" }, choices)];
  }

  /** @param {Platform} platform */
  async function start(platform) {
    const core = await coreReady;
    const qs = core.questions(platform, LANG).questions;
    walk = { platform, questions: new Map(qs.map((q) => [q.id, q])), answers: [] };
    render();
  }

  /**
   * The verifiers for the scenario reached, as the core gives them.
   * @param {WhoAnswer} who
   */
  function answerView(who) {
    /** @type {HTMLElement[]} */
    const out = [
      el(H, { class: "scenario", text: who.scenarioName, attrs: { tabindex: "-1", "data-scenario": who.scenario } }),
    ];
    if (!who.verifiers.length) {
      out.push(el("p", { class: "notice nobody", text: T.nobody }));
    } else {
      out.push(el("p", { text: T.verifiers(who.verifiers.length) }));
      for (const v of who.verifiers) {
        out.push(
          el("section", { class: "verifier", attrs: { "data-role": v.role } }, [
            el("h3", { text: v.title }),
            el("dl", {}, [
              el("dt", { text: T.whichPhone }),
              el("dd", { text: v.phone }),
              el("dt", { text: T.whichId }),
              el("dd", { text: v.idSuffix }),
              el("dt", { text: T.whereToFind }),
              el("dd", { class: "where", text: v.whereToFind }),
            ]),
          ]),
        );
      }
    }
    if (who.notes.length) {
      out.push(
        el("h3", { text: T.notes }),
        el(
          "ul",
          { class: "notes" },
          who.notes.map((n) => el("li", { text: n })),
        ),
      );
    }
    out.push(el("p", { class: "source", text: T.source(who.source) }));
    return out;
  }

  async function render() {
    const core = await coreReady;
    if (!walk) {
      element.replaceChildren(...pickPlatform(core));
      return;
    }
    const w = walk;
    const { question, scenario } = position(w);
    /** @type {HTMLElement[]} */
    const parts = [el("p", { class: "platform", text: platformName(core.rules(LANG), w.platform) })];
    if (w.answers.length) {
      parts.push(
        el(
          "ol",
          { class: "answers" },
          w.answers.map((a) =>
            el("li", {}, [el("span", { text: a.question.text }), el("strong", { text: ` ${T.answered(a.yes)}` })]),
          ),
        ),
      );
    }
    if (scenario) {
      const who = core.who(w.platform, scenario, LANG);
      parts.push(...answerView(who));
      const action = opts.action?.(who);
      if (action) parts.push(action);
      if (opts.onScenario) opts.onScenario(who);
    } else if (question) {
      /** @param {boolean} yes */
      const answer = (yes) => () => {
        w.answers.push({ question, yes });
        render();
      };
      parts.push(
        el("div", { class: "question", attrs: { "data-question": question.id } }, [
          el("p", { class: "qnum", text: T.question(w.answers.length + 1) }),
          el(H, { text: question.text, attrs: { tabindex: "-1" } }),
          el("div", { class: "actions" }, [
            button(T.yes, answer(true), "primary answer-yes"),
            button(T.no, answer(false), "answer-no"),
          ]),
        ]),
      );
    }
    parts.push(
      el("div", { class: "actions nav" }, [
        button(
          T.back,
          () => {
            if (w.answers.length) w.answers.pop();
            else walk = null;
            render();
          },
          "back",
        ),
        button(
          T.restart,
          () => {
            walk = null;
            render();
          },
          "restart",
        ),
      ]),
    );
    element.replaceChildren(...parts);
    const heading = element.querySelector(H);
    if (heading instanceof HTMLElement && element.isConnected && element.contains(document.activeElement) === false)
      heading.focus();
  }

  if (opts.platform) start(opts.platform);
  else render();
  coreReady.catch(() => element.replaceChildren(el("p", { class: "notice", text: T.coreFailed })));
  return {
    element,
    restart: () => {
      walk = null;
      render();
    },
  };
}
