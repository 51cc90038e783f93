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
    remove: (key) =>
      later(
        (Array.isArray(key) ? key : [key]).forEach((k) => {
          delete data[k];
        }),
      ),
  };
}

/** Alarms and notifications as the worker sees them, in memory. */
const alarms = new Map();
const notifications = new Map();

globalThis.chrome = {
  storage: { local: fakeArea(), session: fakeArea() },
  runtime: { id: "ext", getURL: (p) => `chrome-extension://ext/${p}` },
  i18n: { getUILanguage: () => "zh-CN" },
  alarms: {
    create: async (name, info) => {
      alarms.set(name, { name, scheduledTime: info.when });
    },
    clear: async (name) => alarms.delete(name),
    getAll: async () => [...alarms.values()],
  },
  notifications: {
    create: async (id, opts) => {
      notifications.set(id, opts);
      return id;
    },
    clear: async (id) => notifications.delete(id),
    all: notifications,
  },
};
