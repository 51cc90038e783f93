// @ts-check
// What the extension knows about the MIIT page's DOM (docs/SOURCES.md, The
// MIIT page). Selectors live here only; each has a fallback by the
// placeholders, which are the page's visible text and change less often than
// its classes.

/** @typedef {import("../../messages.js").FormKind} FormKind */

/**
 * @typedef {{
 *   kind: FormKind,
 *   card: HTMLElement,
 *   code: HTMLInputElement | null,
 *   phone: HTMLInputElement | null,
 *   id: HTMLInputElement | null,
 *   submit: HTMLElement | null
 * }} SmsForm
 */

const PLACEHOLDER = {
  code: "请输短信验证码", // sic: the site leaves out 入
  verifyPhone: "请输入手机号",
  resendPhone: "请输入手机号码",
  id: "请输入证件号码后6位",
};

/** The ID last 6 inputs: each form has one. */
const ID_INPUTS = `input[placeholder="${PLACEHOLDER.id}"], .checkB input`;

/**
 * field finds one input of a form: by its form-item class, else by placeholder.
 * @param {Element} card
 * @param {string} itemClass
 * @param {string[]} placeholders
 * @returns {HTMLInputElement | null}
 */
function field(card, itemClass, placeholders) {
  const byClass = card.querySelector(`.${itemClass} input`);
  if (byClass instanceof HTMLInputElement) return byClass;
  for (const ph of placeholders) {
    const byPh = card.querySelector(`input[placeholder="${ph}"]`);
    if (byPh instanceof HTMLInputElement) return byPh;
  }
  return null;
}

/**
 * smsForms returns the verify and resend forms on the page now (both routes
 * hold them; the hidden tab's form is included).
 * @returns {SmsForm[]}
 */
export function smsForms() {
  /** @type {SmsForm[]} */
  const out = [];
  const idInputs = document.querySelectorAll(ID_INPUTS);
  /** @type {Set<Element>} */
  const seen = new Set();
  for (const idInput of idInputs) {
    const card = idInput.closest(".tab-card") || idInput.closest("form");
    if (!(card instanceof HTMLElement) || seen.has(card)) continue;
    seen.add(card);
    const code = field(card, "check", [PLACEHOLDER.code]);
    const submit = card.querySelector("button.Submission, button.el-button--success");
    out.push({
      kind: code ? "verify" : "resend",
      card,
      code,
      phone: field(card, "checkA", [PLACEHOLDER.verifyPhone, PLACEHOLDER.resendPhone]),
      id: field(card, "checkB", [PLACEHOLDER.id]),
      submit: submit instanceof HTMLElement ? submit : null,
    });
  }
  return out;
}

/**
 * The routes that show the SMS form: the home page (its right-hand card; "/"
 * redirects there) and the 短信核验 page. A query before the hash is the
 * site's own (links in the wild carry one).
 */
const SMS_ROUTES = ["", "/", "/Integrated/index", "/Integrated/ComplaintA"];

/**
 * isSmsRoute tells whether a location hash is one of the SMS routes.
 * @param {string} hash
 */
export function isSmsRoute(hash) {
  const path = hash.replace(/^#/, "").split("?")[0];
  return SMS_ROUTES.includes(path);
}

/**
 * visibleForm is the form of the tab shown now, if any.
 * @returns {SmsForm | null}
 */
export function visibleForm() {
  return smsForms().find((f) => isShown(f.card)) || null;
}

/**
 * isShown tells whether an element takes up space on screen (v-show and the
 * tab switch both set display: none).
 * @param {Element} el
 */
export function isShown(el) {
  return el.isConnected && el.getClientRects().length > 0;
}

/**
 * isDisplayed is isShown without forcing a layout (style only), for the hot
 * path of text detection.
 * @param {Element} el
 */
export function isDisplayed(el) {
  return el.isConnected && (typeof el.checkVisibility === "function" ? el.checkVisibility() : isShown(el));
}

/**
 * The places where the page shows messages: the result banner (div.tips,
 * reused by Vue), the page's own field alert (#alertFram), and every place
 * Element UI shows one (a page variant may show a result in any of them):
 * toasts (el-message), alerts (el-alert), notifications (el-notification)
 * and message boxes (el-message-box).
 */
export const MESSAGE_SELECTOR = "div.tips, #alertFram, .el-message, .el-alert, .el-notification, .el-message-box";

/** The result banner: the one message place whose answers are counted. */
export const BANNER_SELECTOR = "div.tips";

/** The controls inside a message place, whose text is not the message. */
const MESSAGE_CONTROLS = ".close_icon, button, .el-alert__closebtn, .el-notification__closeBtn, .el-message__closeBtn";

/**
 * messageContainer is the message place that holds node, if any.
 * @param {Node} node
 * @returns {Element | null}
 */
export function messageContainer(node) {
  const el = node instanceof Element ? node : node.parentElement;
  return el ? el.closest(MESSAGE_SELECTOR) : null;
}

/**
 * resultBanner is the visible result banner, if any.
 * @returns {HTMLElement | null}
 */
export function resultBanner() {
  for (const el of document.querySelectorAll(BANNER_SELECTOR)) {
    if (el instanceof HTMLElement && isShown(el)) return el;
  }
  return null;
}

/** Where the page shows a captcha (a slider or click-the-characters; it has changed several times). */
const CAPTCHA_SELECTOR = ".verify-mask, .verify-box, [class*='captcha'], [id*='captcha'], [class*='verify-img']";

/**
 * captchaShown tells whether a captcha (or its mask) is on screen now.
 */
export function captchaShown() {
  for (const el of document.querySelectorAll(CAPTCHA_SELECTOR)) if (isShown(el)) return true;
  return false;
}

/** How far the card keeps from what it must not cover. */
const CLEARANCE = 8;

/**
 * formBox is what the user sees as a form's box: the form itself, or the
 * nearest ancestor drawn around it (a border, a background or a shadow) that
 * holds no more than that form (on a page not laid out in .tab-card, the
 * form sits in a padded box of its own).
 * @param {HTMLElement} card
 * @returns {HTMLElement}
 */
export function formBox(card) {
  let box = card;
  for (
    let up = card.parentElement;
    up && up !== document.body && up !== document.documentElement;
    up = up.parentElement
  ) {
    const inside = up.querySelectorAll(ID_INPUTS).length;
    if (inside > 1) break; // holds the other form too: the page's layout, not this form's box
    const style = getComputedStyle(up);
    const drawn =
      (style.borderTopStyle !== "none" && parseFloat(style.borderTopWidth) > 0) ||
      style.backgroundColor !== "rgba(0, 0, 0, 0)" ||
      style.boxShadow !== "none";
    if (drawn) box = up;
  }
  return box;
}

/**
 * grow widens a rectangle by CLEARANCE on every side.
 * @param {DOMRect} r
 */
function grow(r) {
  return new DOMRect(r.left - CLEARANCE, r.top - CLEARANCE, r.width + 2 * CLEARANCE, r.height + 2 * CLEARANCE);
}

/**
 * protectedRects are the areas an overlay must never cover, with a little
 * room around: every form's box with its fields, 提交 button and our bar,
 * the tab headers, any captcha and the page's own alert.
 * @returns {DOMRect[]}
 */
export function protectedRects() {
  const els = [
    ...smsForms().map((f) => formBox(f.card)),
    ...document.querySelectorAll(`.tit, heyan-bar, heyan-ask, #alertFram, ${CAPTCHA_SELECTOR}`),
  ];
  return els.filter(isShown).map((el) => grow(el.getBoundingClientRect()));
}

/**
 * The card's place on the MIIT page: beside the result (else the banner or
 * the form shown), clear of the forms, and out of the way of a captcha.
 * @type {import("../overlay.js").Placement}
 */
export const miitPlacement = {
  fallback: () => resultBanner() || (visibleForm() || { card: null }).card,
  avoid: protectedRects,
  stepAside: captchaShown,
};

/**
 * messageText is what a message place says, without its controls (the
 * banner's × close icon, buttons).
 * @param {Element} place
 */
export function messageText(place) {
  let text = "";
  const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement?.closest(MESSAGE_CONTROLS)) text += n.nodeValue;
  }
  return text.replace(/\s+/g, " ").trim();
}
