// The plain-JS peer of diagnose: what the simplest JavaScript that finds the
// same messages costs. It normalizes the text as the core does
// (core/internal/textfold: white space, zero-width characters and
// punctuation dropped, full-width letters and digits folded, letters
// upper-cased) and looks for each knowledge text with String.includes. It
// finds which messages a text holds, not where or how often: less than
// diagnose does, which makes it a floor to compare with, not a rival.

const fs = require("node:fs");
const path = require("node:path");

// What textfold.Fold drops: ASCII that is not a letter or digit, Latin-1
// signs, general and CJK punctuation, the compatibility and small forms, the
// BOM, full-width punctuation, and two odd spaces.
const SKIP =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: textfold.Fold drops the ASCII controls too
  /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\u1680\u180e\u2000-\u206f\u3000-\u303f\ufe10-\ufe1f\ufe30-\ufe6f\ufeff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/g;
// Full-width digits and letters, which it folds to ASCII.
const FULL = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g;

/**
 * normalize is core.Normalize as a JavaScript programmer would write it.
 * toUpperCase also upper-cases letters beyond ASCII, which the core leaves;
 * no knowledge text has one, so what it finds is the same.
 * @param {string} text
 */
function normalize(text) {
  return text
    .replace(SKIP, "")
    .replace(FULL, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** The knowledge texts, read from core/data/knowledge.txt, normalized. */
function patterns() {
  const kb = fs.readFileSync(path.resolve(__dirname, "..", "..", "core", "data", "knowledge.txt"), "utf8");
  const out = [];
  let id = "";
  for (const line of kb.split("\n")) {
    const head = /^== entry (\S+)/.exec(line);
    if (head) id = head[1];
    const text = /^text:\s*(.*?)\s*$/.exec(line);
    if (text) out.push({ id, text: normalize(text[1]) });
  }
  return out;
}

/** peerDiagnose returns the IDs of the messages text holds, in knowledge-base order. */
function makePeer() {
  const pats = patterns();
  return (text) => {
    const n = normalize(text);
    const ids = [];
    for (const p of pats) if (n.includes(p.text) && !ids.includes(p.id)) ids.push(p.id);
    return ids;
  };
}

module.exports = { makePeer, normalize };
