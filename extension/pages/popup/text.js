// @ts-check
// The popup's own words, zh-CN first, English second (LANG from ui/i18n.js).
// What the core says (questions, verifiers, FAQ, advice) comes in the same
// language from the core.

import { onLanguage } from "../../ui/i18n.js";

const POPUP_TEXT = {
  "zh-CN": {
    tabs: { who: "谁来核验", faq: "常见问题", status: "当前进度", people: "已保存的人" },
    loading: "正在加载…",
    coreFailed: "核验助手的核心没有启动，请关闭弹窗后重试。",
    openMiit: "打开工信部短信核验页面",
    manage: "管理人员和备案",
    // Who verifies
    // FAQ
    steps: "怎么做",
    links: "相关链接",
    // Status
    noRounds: "还没有记录。在工信部核验页面输入手机号、提交核验后，这里会显示剩余次数和 24 小时期限。",
    next: "下一步：",
    smsAt: (/** @type {string} */ t) => `短信收到时间：${t}`,
    noCounts: "这条记录的次数暂时无法计算。",
    clear: "清除记录",
    clearConfirm: "清除这条记录？剩余次数和期限会被忘记，下次核验从头计算。",
    clearYes: "确认清除",
    // Saved people
    noPeople: "还没有保存的人。可以在这里保存，也可以在工信部核验页面下方的核验助手栏里保存。",
    idLast6: "证件号后6位",
    zhejiangTag: "浙江",
    filing: "备案",
    filings: "所在备案",
    del: "删除",
    delConfirm: (/** @type {string} */ name) => `删除“${name}”？保存的手机号和证件号码后 6 位会被删除。`,
    delYes: "确认删除",
    cancel: "取消",
  },
  en: {
    tabs: { who: "Who verifies", faq: "FAQ", status: "Status", people: "Saved people" },
    loading: "Loading…",
    coreFailed: "Heyan's core did not start; close the popup and try again.",
    openMiit: "Open the MIIT SMS verification page",
    manage: "Manage people and filings",
    steps: "What to do",
    links: "Links",
    noRounds:
      "Nothing tracked yet. Once you type a phone number and submit on the MIIT page, the tries and the 24-hour limit show here.",
    next: "Next: ",
    smsAt: (/** @type {string} */ t) => `SMS arrived: ${t}`,
    noCounts: "The counts of this record cannot be worked out now.",
    clear: "Clear record",
    clearConfirm:
      "Clear this record? The tries and the deadline are forgotten; the next verification counts from the start.",
    clearYes: "Clear",
    noPeople: "Nobody saved yet. Save people here, or in the Heyan bar under the form on the MIIT page.",
    idLast6: "Last 6 of the ID number",
    zhejiangTag: "Zhejiang",
    filing: "Filing",
    filings: "Filings",
    del: "Delete",
    delConfirm: (/** @type {string} */ name) =>
      `Delete “${name}”? Their saved phone and the last 6 of their ID number are removed.`,
    delYes: "Delete",
    cancel: "Cancel",
  },
};

/** Both languages' tables, for the test that holds them to the same keys. */
export const POPUP_TABLES = POPUP_TEXT;

/**
 * The popup's strings in the language in use.
 * @type {typeof POPUP_TEXT[keyof typeof POPUP_TEXT]}
 */
export let P = POPUP_TEXT["zh-CN"];
onLanguage((lang) => {
  P = POPUP_TEXT[lang];
});
