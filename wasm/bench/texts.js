// The texts the core's benchmark diagnoses, built the same way for the
// WebAssembly build (calls.js), the plain-JS peer (peer.js) and the native
// Go benchmark (scripts/bench-core writes them to files for it):
//   page20k   the MIIT page's own text (menus, notices, form labels) repeated
//             to 20 KB, with one result banner in the middle: what the
//             extension reads after an answer
//   quoted20k a blog's list of quoted messages repeated to 20 KB: the worst
//             case, a message on every line
//   pages200k every page of core/testdata/pages one after another, repeated
//             to 200 KiB: about 850 matches of every kind
// Run as a script, it writes each to DIR/NAME.txt: node texts.js DIR

const fs = require("node:fs");
const path = require("node:path");

const pages = path.resolve(__dirname, "..", "..", "core", "testdata", "pages");
const read = (name) => fs.readFileSync(path.join(pages, name), "utf8");
const banner = "尊敬的ICP用户： 您的短信核验失败,请输入正确的信息。\n";

/** repeat returns copies of unit, whole, while the result stays within bytes. */
function repeat(unit, bytes) {
  let out = "";
  while (Buffer.byteLength(out + unit) <= bytes) out += unit;
  return out;
}

function texts() {
  const menus = read("miit-menus-only.txt");
  const filler = repeat(menus, 20 * 1024 - Buffer.byteLength(banner));
  const cut = filler.lastIndexOf("\n", filler.length / 2) + 1;
  const all = `${fs
    .readdirSync(pages)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map(read)
    .join("\n")}\n`;
  return {
    page20k: filler.slice(0, cut) + banner + filler.slice(cut),
    quoted20k: repeat(read("blog-quotes.txt"), 20 * 1024),
    pages200k: repeat(all, 200 * 1024),
  };
}

module.exports = { texts, banner };

if (require.main === module) {
  const dir = process.argv[2];
  for (const [name, text] of Object.entries(texts())) fs.writeFileSync(path.join(dir, `${name}.txt`), text);
}
