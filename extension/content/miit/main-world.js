// @ts-check
// Runs in the page's own JavaScript world (MAIN), before the page's scripts.
// It reads exactly two fields, params.validStatus and params.validFlag, from
// the answers to validateByCondition and resendSMSByCondition (XHR and
// fetch) and hands them to the content script as a DOM event. For any other
// request under smsValidate/ (a path it does not know) it says only that one
// came back, {api: "other"}, so the text reader can look at the banner again. It never reads
// a request, never changes a request or an answer, and any failure of its
// own is swallowed so the page works as before. Built into a bundle of its
// own: nothing of the extension's other code runs in the page's world.

import { NETWORK_RESULT_EVENT as EVENT } from "./network-event.js";

(() => {
  const APIS = [
    ["validateByCondition", "verify"],
    ["resendSMSByCondition", "resend"],
  ];

  /** @param {unknown} url */
  function apiOf(url) {
    try {
      const path = new URL(String(url), location.href).pathname;
      for (const [name, api] of APIS) if (path.endsWith(`/${name}`)) return api;
      if (/\/smsValidate\//i.test(path)) return "other";
    } catch {
      // not a URL we care about
    }
    return "";
  }

  /** A request under smsValidate/ that we do not read came back. */
  function reportOther() {
    try {
      document.dispatchEvent(new CustomEvent(EVENT, { detail: JSON.stringify({ api: "other" }) }));
    } catch {
      // never let our failure reach the page
    }
  }

  /**
   * @param {string} api
   * @param {unknown} body the parsed answer
   */
  function report(api, body) {
    try {
      const params = body && typeof body === "object" ? /** @type {any} */ (body).params : null;
      if (!params || typeof params !== "object") return;
      const status = params.validStatus;
      if (typeof status !== "number" && !(typeof status === "string" && /^\d+$/.test(status))) return;
      const detail = JSON.stringify({ api, validStatus: Number(status), validFlag: params.validFlag === true });
      document.dispatchEvent(new CustomEvent(EVENT, { detail }));
    } catch {
      // never let our failure reach the page
    }
  }

  /** @param {string} text */
  function parse(text) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  try {
    const XHR = XMLHttpRequest.prototype;
    const open = XHR.open;
    const send = XHR.send;
    const urls = new WeakMap();
    XHR.open = /** @type {any} */ (
      function (/** @type {any[]} */ ...args) {
        try {
          urls.set(this, apiOf(args[1])); // open(method, url, ...)
        } catch {
          // never let our failure reach the page
        }
        return open.apply(this, /** @type {any} */ (args));
      }
    );
    XHR.send = function (/** @type {any[]} */ ...args) {
      try {
        const api = urls.get(this);
        if (api) {
          this.addEventListener("load", () => {
            try {
              if (api === "other") return reportOther(); // its answer is not read
              const type = this.responseType;
              if (type === "json") report(api, this.response);
              else if (type === "" || type === "text") report(api, parse(this.responseText));
            } catch {
              // never let our failure reach the page
            }
          });
        }
      } catch {
        // never let our failure reach the page
      }
      return send.apply(this, /** @type {any} */ (args));
    };
  } catch {
    // XHR left as it was
  }

  try {
    const realFetch = window.fetch;
    if (typeof realFetch === "function") {
      window.fetch = function (/** @type {any[]} */ ...args) {
        const input = args[0];
        const result = realFetch.apply(this, /** @type {any} */ (args));
        try {
          const api = apiOf(input instanceof Request ? input.url : input);
          if (api === "other") {
            result.then(reportOther, () => {
              // a failed request of another API says nothing about the result
            });
          } else if (api) {
            // A clone: the page reads its own, untouched answer.
            result
              .then((res) => res.clone().text())
              .then(
                (text) => report(api, parse(text)),
                () => {
                  // an unreadable body: the page's own text is read instead
                },
              );
          }
        } catch {
          // never let our failure reach the page
        }
        return result;
      };
    }
  } catch {
    // fetch left as it was
  }
})();
