// The manifest against the sources: the fill command suggests the key the
// page listens for, and the icons are the PNGs of the sizes declared.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";

const ext = new URL("../", import.meta.url);
const manifest = JSON.parse(fs.readFileSync(new URL("manifest.json", ext), "utf8"));

test("the manifest's fill command suggests the key the page listens for", () => {
  const bar = fs.readFileSync(new URL("content/miit/assistant-bar.js", ext), "utf8");
  const label = /const FILL_SHORTCUT = \{ code: "(\w+)", label: "([^"]+)" \}/.exec(bar);
  assert.ok(label, "FILL_SHORTCUT not found in content/miit/assistant-bar.js");
  assert.equal(manifest.commands["fill-person"].suggested_key.default, label[2]);
  assert.equal(`Key${label[2].slice(-1)}`, label[1]);
});

test("the manifest's icons exist, as PNGs of the sizes they are declared at", () => {
  for (const set of [manifest.icons, manifest.action.default_icon]) {
    assert.deepEqual(
      Object.keys(set).sort((a, b) => a - b),
      ["16", "32", "48", "128"],
    );
    for (const [size, file] of Object.entries(set)) {
      const png = fs.readFileSync(new URL(file, ext));
      assert.equal(png.toString("latin1", 1, 4), "PNG", file);
      assert.equal(png.readUInt32BE(16), Number(size), `${file} width`);
      assert.equal(png.readUInt32BE(20), Number(size), `${file} height`);
    }
  }
});

test("the worker is an ES module for Chromium and for Firefox", () => {
  assert.equal(manifest.background.type, "module");
  assert.deepEqual(manifest.background.scripts, [manifest.background.service_worker]);
});
