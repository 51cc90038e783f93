// @ts-check
// Filling the form the way Vue's v-model notices: a value set on the input
// alone is not seen (the page then says the field is empty), so each field
// gets focus, the value through the native setter, and real input and change
// events. The captcha and the SMS code are never touched; nothing is submitted.

/** @typedef {import("./page.js").SmsForm} SmsForm */

const nativeValueSetter = /** @type {(this: HTMLInputElement, v: string) => void} */ (
  /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")).set
);

/**
 * fillInput types value into input as v-model expects.
 * @param {HTMLInputElement} input
 * @param {string} value
 */
export function fillInput(input, value) {
  input.focus();
  nativeValueSetter.call(input, value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
  input.blur();
}

/**
 * fillForm puts a person's phone and ID last 6 into a form.
 * @param {SmsForm} form
 * @param {{phone: string, idLast6: string}} values
 */
export function fillForm(form, values) {
  if (form.phone) fillInput(form.phone, values.phone);
  // A saved ID last 6 is stored as the core normalized it (an x as X), so
  // the fill types what the site wants.
  if (form.id) fillInput(form.id, values.idLast6);
}
