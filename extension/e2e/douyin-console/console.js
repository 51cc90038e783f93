// The replica's console app. Query switches (before the hash):
//   status=审核未通过 | 管局审核中 | 管局审核失败 | 备案成功   the filing's status
//   reason=…          the rejection reason shown under it (none when absent)
//   submitted=N       the submit time, N hours before now (Beijing time)
//   next=…            the status after 刷新状态 is pressed
//   layout=inline     the label and the status in one text node (备案状态：…)
// Views appear after a simulated load (an SPA fetching its data), and the
// filing details only after 查看填写信息 is pressed.
(() => {
  const q = new URLSearchParams(location.search);
  const filing = {
    status: q.get("status") || "审核未通过",
    reason: q.get("reason") || "",
    submittedAt: Date.now() - Number(q.get("submitted") || "2") * 3600e3,
    next: q.get("next") || "",
  };
  const view = document.getElementById("view");
  const LOAD_MS = 300;

  function el(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "on") n.addEventListener("click", v);
      else n.setAttribute(k, v);
    }
    for (const c of children) n.append(c);
    return n;
  }

  /** Beijing time, as the console shows it: 2026-11-30 10:00:00. */
  function beijing(ms) {
    const d = new Date(ms + 8 * 3600e3);
    const p = (x) => String(x).padStart(2, "0");
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  }

  function loading(then) {
    view.replaceChildren(el("p", { class: "loading" }, "加载中…"));
    setTimeout(then, LOAD_MS);
  }

  function statusRow() {
    if (q.get("layout") === "inline") return el("div", { class: "row", id: "status" }, `备案状态：${filing.status}`);
    return el(
      "div",
      { class: "row", id: "status" },
      el("span", { class: "k" }, "备案状态"),
      el("span", { class: "tag" }, filing.status),
    );
  }

  function filingInfo() {
    const panel = el(
      "section",
      { class: "panel" },
      el("h2", {}, "备案信息"),
      // The progress line names every status: only the labelled one is the filing's.
      el(
        "div",
        { class: "steps" },
        ...["平台初审", "工信部短信核验", "管局审核中", "审核未通过"].map((s) => el("span", {}, `${s} →`)),
      ),
      el("p", { class: "hidden-help" }, "备案状态更新为“审核未通过”后，点击重新发送短信。"),
      el("button", { class: "primary", id: "details", on: () => loading(details) }, "查看填写信息"),
    );
    view.replaceChildren(tabs("filing"), panel);
  }

  function details() {
    const rows = [
      statusRow(),
      el("div", { class: "row" }, el("span", { class: "k" }, "提交时间"), el("span", {}, beijing(filing.submittedAt))),
    ];
    if (filing.reason)
      rows.push(
        el(
          "div",
          { class: "row", id: "reason" },
          el("span", { class: "k" }, "驳回原因："),
          el("span", {}, filing.reason),
        ),
      );
    const panel = el(
      "section",
      { class: "panel" },
      el("h2", {}, "查看填写信息"),
      ...rows,
      el("h3", {}, "主办单位负责人信息"),
      el("div", { class: "row" }, el("span", { class: "k" }, "手机号"), el("span", {}, "138****8000")),
      el("div", { class: "row" }, el("span", { class: "k" }, "证件号码后6位"), el("span", {}, "****2X")),
      el(
        "div",
        { class: "row" },
        el("button", { class: "primary", id: "resend" }, "重新发送短信"),
        el(
          "button",
          {
            id: "refresh",
            on: () => {
              if (filing.next) {
                filing.status = filing.next;
                filing.reason = "";
              }
              loading(details);
            },
          },
          "刷新状态",
        ),
      ),
    );
    view.replaceChildren(tabs("filing"), panel);
  }

  function tabs(on) {
    return el(
      "div",
      { class: "tabs", role: "tablist" },
      el(
        "button",
        {
          class: on === "basic" ? "on" : "",
          id: "tab-basic",
          on: () => {
            location.hash = "#/settings";
          },
        },
        "基本信息",
      ),
      el(
        "button",
        {
          class: on === "filing" ? "on" : "",
          id: "tab-filing",
          on: () => {
            location.hash = "#/settings/filing";
          },
        },
        "备案信息",
      ),
    );
  }

  function route() {
    switch (location.hash) {
      case "#/settings":
        return loading(() =>
          view.replaceChildren(
            tabs("basic"),
            el("section", { class: "panel" }, el("h2", {}, "基本信息"), el("p", {}, "小程序名称：测试小程序")),
          ),
        );
      case "#/settings/filing":
        return loading(filingInfo);
      default:
        return loading(() =>
          view.replaceChildren(
            el("section", { class: "panel" }, el("h2", {}, "概览"), el("p", {}, "欢迎使用抖音开放平台。")),
          ),
        );
    }
  }
  window.addEventListener("hashchange", route);
  route();
})();
