// Replaces one section of docs/PERFORMANCE.md with what arrives on stdin.
// A section lies between "<!-- BEGIN name -->" and "<!-- END name -->"; a
// missing one is appended. Each bench script owns its own section.
// Usage: node scripts/lib/perf-section.js NAME FILE < content.md

const fs = require("node:fs");
const [name, file] = process.argv.slice(2);
if (!name || !file) {
  console.error("usage: perf-section.js NAME FILE < content");
  process.exit(2);
}
const body = fs.readFileSync(0, "utf8").trimEnd();
const begin = `<!-- BEGIN ${name} -->`;
const end = `<!-- END ${name} -->`;
let doc = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Performance\n";
const block = `${begin}\n${body}\n${end}`;
const i = doc.indexOf(begin);
const j = doc.indexOf(end);
if (i >= 0 && j > i) {
  doc = doc.slice(0, i) + block + doc.slice(j + end.length);
} else {
  doc = `${doc.trimEnd()}\n\n${block}\n`;
}
fs.writeFileSync(file, doc);
