// The parts of chrome.* the worker's modules use, in memory, installed as
// globalThis.chrome before a test imports them. Storage reads and writes
// yield to other tasks first, as the real ones do, so that changes from two
// tabs really interleave.

/** An async storage area: each get and set yields to other tasks first. */
export function fakeArea() {
  const data = {};
  const later = (v) => new Promise((r) => setTimeout(() => r(v), Math.random() * 5));
  return {
    data,
    get: (key) => later({ [key]: data[key] === undefined ? undefined : JSON.parse(JSON.stringify(data[key])) }),
    set: (obj) => later(Object.assign(data, JSON.parse(JSON.stringify(obj)))),
  };
}

globalThis.chrome = {
  storage: { local: fakeArea(), session: fakeArea() },
  runtime: { id: "ext", getURL: (p) => "chrome-extension://ext/" + p },
};
