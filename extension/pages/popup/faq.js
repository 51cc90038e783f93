// @ts-check
// 常见问题 / FAQ: the core's FAQ entries, each folded under its title: the
// cause, numbered steps, links (a new tab) and the source.

import { el } from "../../ui/dom.js";
import { LANG, T } from "../../ui/i18n.js";
import { safeLinks } from "../../ui/links.js";
import { P } from "../../ui/i18n.js";

/** @typedef {import("../../messages.js").HeyanCore} HeyanCore */
/** @typedef {import("../shared/tabs.js").Panel} PopupPanel */

/** The FAQ entries of the knowledge base, in the order a user meets them. */
const FAQ_IDS = [
  "faq-no-sms",
  "faq-sms-timing",
  "faq-attempt-limit",
  "faq-status-lag",
  "faq-who-verifies",
  "faq-id-suffix",
];

/**
 * createFaqPanel lists the entries once the core is ready.
 * @param {Promise<HeyanCore>} coreReady
 * @returns {PopupPanel}
 */
export function createFaqPanel(coreReady) {
  const element = el("div", { class: "faq" }, [el("p", { class: "muted", text: P.loading })]);
  coreReady.then(
    (core) => {
      /** @type {HTMLElement[]} */
      const items = [];
      for (const id of FAQ_IDS) {
        let entry;
        try {
          entry = core.kb(id, LANG);
        } catch (err) {
          // An entry this core does not have: list the others.
          console.warn("heyan: no FAQ entry", `${id}:`, err instanceof Error ? err.message : err);
          continue;
        }
        /** @type {HTMLElement[]} */
        const body = [el("p", { text: entry.cause })];
        if (entry.steps.length) {
          body.push(
            el("h3", { text: P.steps }),
            el(
              "ol",
              {},
              entry.steps.map((s) => el("li", { text: s })),
            ),
          );
        }
        const links = safeLinks(entry.links);
        if (links.length) {
          body.push(
            el("h3", { text: P.links }),
            el(
              "ul",
              { class: "links" },
              links.map((l) =>
                el("li", {}, [
                  el("a", { text: l.label, attrs: { href: l.url, target: "_blank", rel: "noopener noreferrer" } }),
                ]),
              ),
            ),
          );
        }
        if (entry.source) body.push(el("p", { class: "source", text: T.source(entry.source) }));
        items.push(el("details", { attrs: { "data-entry": id } }, [el("summary", { text: entry.title }), ...body]));
      }
      element.replaceChildren(...items);
    },
    () => element.replaceChildren(el("p", { class: "notice", text: P.coreFailed })),
  );
  return {
    element,
    show() {
      // the FAQ is drawn once; nothing changes it
    },
  };
}
