// @ts-check
// Random IDs for records and answers (never derived from personal data).

/**
 * randomId is a random record or answer ID: 128 bits in hex. Not
 * crypto.randomUUID, which exists in secure contexts only, and a content
 * script on http://beian.miit.gov.cn runs in the page's insecure one.
 * @returns {string}
 */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
