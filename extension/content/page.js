// @ts-check
// What the extension knows about the MIIT page's DOM (docs/SOURCES.md, The
// MIIT page). Selectors live here only; each has a fallback by the
// placeholders, which are the page's visible text and change less often than
// its classes.

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
function smsForms() {
  /** @type {SmsForm[]} */
  const out = [];
  const idInputs = document.querySelectorAll(`input[placeholder="${PLACEHOLDER.id}"], .checkB input`);
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
 * visibleForm is the form of the tab shown now, if any.
 * @returns {SmsForm | null}
 */
function visibleForm() {
  return smsForms().find((f) => isShown(f.card)) || null;
}

/**
 * isShown tells whether an element takes up space on screen (v-show and the
 * tab switch both set display: none).
 * @param {Element} el
 */
function isShown(el) {
  return el.isConnected && el.getClientRects().length > 0;
}

/**
 * isDisplayed is isShown without forcing a layout (style only), for the hot
 * path of text detection.
 * @param {Element} el
 */
function isDisplayed(el) {
  return el.isConnected && (typeof el.checkVisibility === "function" ? el.checkVisibility() : isShown(el));
}

/**
 * The places where the page shows messages: the result banner (div.tips,
 * reused by Vue), the page's own field alert (#alertFram) and Element UI's
 * error toasts.
 */
const MESSAGE_SELECTOR = "div.tips, #alertFram, .el-message--error, .el-message";

/**
 * messageContainer is the message place that holds node, if any.
 * @param {Node} node
 * @returns {Element | null}
 */
function messageContainer(node) {
  const el = node instanceof Element ? node : node.parentElement;
  return el ? el.closest(MESSAGE_SELECTOR) : null;
}

/**
 * resultBanner is the visible result banner, if any.
 * @returns {HTMLElement | null}
 */
function resultBanner() {
  for (const el of document.querySelectorAll("div.tips")) {
    if (el instanceof HTMLElement && isShown(el)) return el;
  }
  return null;
}

/** Where the page shows a captcha (a slider or click-the-characters; it has changed several times). */
const CAPTCHA_SELECTOR = ".verify-mask, .verify-box, [class*='captcha'], [id*='captcha'], [class*='verify-img']";

/**
 * captchaShown tells whether a captcha (or its mask) is on screen now.
 */
function captchaShown() {
  for (const el of document.querySelectorAll(CAPTCHA_SELECTOR)) if (isShown(el)) return true;
  return false;
}

/**
 * protectedRects are the areas an overlay must never cover: every form with
 * its fields, 提交 button and our bar, the tab headers, any captcha and the
 * page's own alert.
 * @returns {DOMRect[]}
 */
function protectedRects() {
  const els = [
    ...smsForms().map((f) => f.card),
    ...document.querySelectorAll(".tit, heyan-bar, #alertFram, " + CAPTCHA_SELECTOR),
  ];
  return els.filter(isShown).map((el) => el.getBoundingClientRect());
}

/**
 * messageText is what a message place says, without its controls (the
 * banner's × close icon, buttons).
 * @param {Element} place
 */
function messageText(place) {
  let text = "";
  const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement?.closest(".close_icon, button")) text += n.nodeValue;
  }
  return text.replace(/\s+/g, " ").trim();
}
