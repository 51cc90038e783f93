// @ts-check
// The extension's own words on the MIIT page and in its pages, zh-CN first,
// English second. The advice itself (titles, causes, steps) comes from the
// core in the same language. The language is the user's setting (the
// browser's by default): LANG and T follow it once loadLanguage() has read
// it, and every module that reads them at draw time draws in it.

import { browserLanguage, languageOf, readSettings } from "../settings.js";

/** @typedef {import("../messages.js").Lang} Lang */

/** @type {Lang} */
export let LANG = browserLanguage();

const TEXT = {
  "zh-CN": {
    brand: "核验助手",
    coreFailed: "核验助手的核心没有启动，请稍后重试。",
    states: {
      "awaiting-sms": "等待核验短信",
      pending: "待核验",
      "waiting-others": "等待其他人核验",
      complete: "核验完成",
      returned: "已退回",
      expired: "已超过 24 小时",
    },
    pickPlatform: "这次备案的是什么？",
    question: (/** @type {number} */ n) => `问题 ${n}`,
    yes: "是",
    no: "否",
    back: "上一步",
    restart: "重新开始",
    answered: (/** @type {boolean} */ yes) => (yes ? "是" : "否"),
    nobody: "这种情况不需要短信核验，没有人会收到核验短信。",
    verifiers: (/** @type {number} */ n) => (n === 1 ? "需要 1 个人核验：" : `需要 ${n} 个人分别核验：`),
    whichPhone: "填哪个手机号",
    whichId: "填哪个证件号码后 6 位",
    whereToFind: "在哪里查到备案时填的信息",
    notes: "注意",
    source: (/** @type {string} */ s) => `依据：${s}`,
    sentences: (/** @type {string[]} */ parts) => `${parts.map((p) => p.replace(/[。.]$/, "")).join("。")}。`,
    close: "关闭",
    siteSaid: "网站提示：",
    uncounted:
      "这条结果不是在结果横幅里显示的，核验助手没法确定它对应哪次提交，所以没有计入剩余次数：下面的次数可能比实际多。",
    lockedKept:
      "保存的数据已加密（已登录同步，浏览器重启后还没解锁）：这次结果已记下，在设置页“同步”输入密码解锁后计入剩余次数。",
    lockedBar: "保存的人员已加密：在设置页“同步”输入密码解锁后显示次数和人员。",
    triesLeft: (/** @type {number} */ n, /** @type {number} */ of) => `剩余核验机会：${n}/${of}`,
    triesLeftAtMost: (/** @type {number} */ n, /** @type {number} */ of) => `剩余核验机会：最多 ${n}/${of}`,
    approxWhy:
      "部分结果是从页面文字读到的：同样的结果连续出现两次时页面文字不变，可能少数一次，所以已用次数至少是这么多。",
    resendsLeft: (/** @type {number} */ n, /** @type {number} */ of) => `重发剩余：${n}/${of}`,
    timeLeft: (/** @type {string} */ t) => `距 24 小时期限：${t}`,
    expired: "24 小时期限已过",
    roundComplete: "核验已完成，不用再提交",
    roundReturned: "已退回：本轮核验已结束，工信部网站上不能再重发",
    roundOver: "本轮核验已结束",
    hoursMinutes: (/** @type {number} */ h, /** @type {number} */ m) => `${h} 小时 ${m} 分`,
    links: "相关链接",
    steps: "怎么做",
    person: "已保存的人",
    nobodySaved: "（还没有保存的人）",
    fill: "填入手机号和证件号后6位",
    filled: "已填入。验证码请自己输入，然后自己点“提交”。",
    addPerson: "保存一个人",
    editPerson: "修改这个人",
    save: "保存",
    cancel: "取消",
    name: "姓名",
    role: "角色",
    docType: "证件类型",
    phone: "手机号",
    idLast6: "证件号码后6位",
    filing: "备案名称（可选）",
    filingExample: "如：某某小程序",
    docTypes: {
      "resident-id": "居民身份证",
      "hk-macau-permit": "港澳居民来往内地通行证",
      passport: "护照",
      other: "其他证件",
    },
    zhejiang: "在浙江省 (Zhejiang) 备案",
    zhejiangHint: "浙江省：填通行证背面的香港/澳门身份证号码后 6 位，括号用全角，例如 567（8）。",
    smsAsk: "核验短信是什么时候收到的？（用来计算 24 小时期限）",
    smsOk: "确定",
    smsSkip: "就按第一次打开本页的时间",
    newSmsAsk: "这次备案已被退回，或已超过 24 小时。收到新的核验短信了吗？收到了就填上收到的时间：",
    newSmsYes: "收到了",
    newSmsNotYet: "还没有",
    mismatch: (/** @type {string} */ who, /** @type {string} */ tail, /** @type {number} */ left) =>
      `提交前请核对：这个手机号属于已保存的“${who}”，但输入的证件号码后6位与保存的不同（保存的以 ${tail} 结尾）。` +
      (left > 0
        ? `输错会用掉一次机会，现在还剩 ${left} 次。`
        : "机会已经用完：再提交一次，无论填的是什么，工信部都会退回这次备案。"),
    mismatchNoCount: (/** @type {string} */ who, /** @type {string} */ tail) =>
      `提交前请核对：这个手机号属于已保存的“${who}”，但输入的证件号码后6位与保存的不同（保存的以 ${tail} 结尾）。`,
    mismatchAsk: "确定要用这组信息提交吗？",
    mismatchFix: "先检查证件号码后6位",
    mismatchGoOn: "没错，继续（再点“提交”）",
    unsupported: "这个号段可能收不到工信部短信。",
    updated: "核验助手已更新，请刷新页面后继续使用。",
    reload: "刷新页面",
  },
  en: {
    brand: "Heyan",
    coreFailed: "Heyan's core did not start: try again in a moment.",
    states: {
      "awaiting-sms": "Waiting for the SMS",
      pending: "To verify",
      "waiting-others": "Waiting for the others",
      complete: "Verified",
      returned: "Returned",
      expired: "24 hours passed",
    },
    pickPlatform: "What is being filed?",
    question: (/** @type {number} */ n) => `Question ${n}`,
    yes: "Yes",
    no: "No",
    back: "Back",
    restart: "Start over",
    answered: (/** @type {boolean} */ yes) => (yes ? "Yes" : "No"),
    nobody: "Nobody verifies in this case: no verification SMS is sent.",
    verifiers: (/** @type {number} */ n) => (n === 1 ? "One person verifies:" : `${n} people verify, each separately:`),
    whichPhone: "Which phone to type",
    whichId: "Which last 6 of the ID number to type",
    whereToFind: "Where to find the filed values",
    notes: "Notes",
    source: (/** @type {string} */ s) => `Source: ${s}`,
    sentences: (/** @type {string[]} */ parts) => `${parts.map((p) => p.replace(/[。.]$/, "")).join(". ")}.`,
    close: "Close",
    siteSaid: "The site says: ",
    uncounted:
      "This answer was not shown in the result banner, so Heyan cannot tell which submit it answers and did not count it: the tries left shown elsewhere may be too many.",
    lockedKept:
      "The saved data is encrypted (signed in to sync, not unlocked since the browser restarted): this answer is kept and counted once you unlock with your password under Settings → Sync.",
    lockedBar:
      "The saved people are encrypted: unlock with your password under Settings → Sync to see them and the counts.",
    triesLeft: (/** @type {number} */ n, /** @type {number} */ of) => `Tries left: ${n} of ${of}`,
    triesLeftAtMost: (/** @type {number} */ n, /** @type {number} */ of) => `Tries left: at most ${n} of ${of}`,
    approxWhy:
      "Some answers were read from the page's text, which does not change when the same answer comes twice in a row: at least this many tries were used.",
    resendsLeft: (/** @type {number} */ n, /** @type {number} */ of) => `Resends left: ${n} of ${of}`,
    timeLeft: (/** @type {string} */ t) => `Time left of the 24 hours: ${t}`,
    expired: "The 24-hour limit has passed",
    roundComplete: "Verification complete: nothing more to submit",
    roundReturned: "Returned: this round is over; no resend on the MIIT site",
    roundOver: "This round is over",
    hoursMinutes: (/** @type {number} */ h, /** @type {number} */ m) => `${h} h ${m} min`,
    links: "Links",
    steps: "What to do",
    person: "Saved person",
    nobodySaved: "(nobody saved yet)",
    fill: "Fill the phone and the last 6 of the ID number",
    filled: "Filled. Type the SMS code yourself, then press 提交 yourself.",
    addPerson: "Save a person",
    editPerson: "Edit this person",
    save: "Save",
    cancel: "Cancel",
    name: "Name",
    role: "Role",
    docType: "Document",
    phone: "Phone",
    idLast6: "Last 6 of the ID number",
    filing: "Filing (optional)",
    filingExample: "e.g. my mini-program",
    docTypes: {
      "resident-id": "Resident ID card",
      "hk-macau-permit": "HK/Macau travel permit",
      passport: "Passport",
      other: "Other document",
    },
    zhejiang: "Filed in Zhejiang (浙江省)",
    zhejiangHint:
      "Zhejiang: the last 6 of the Hong Kong/Macau identity card number on the permit's back, with full-width brackets, e.g. 567（8）.",
    smsAsk: "When did the verification SMS arrive? (for the 24-hour limit)",
    smsOk: "OK",
    smsSkip: "Use when I first opened this page",
    newSmsAsk: "This filing was returned, or its 24 hours passed. New SMS? If a new verification SMS came, say when:",
    newSmsYes: "Yes, it came",
    newSmsNotYet: "Not yet",
    mismatch: (/** @type {string} */ who, /** @type {string} */ tail, /** @type {number} */ left) =>
      `Check before you submit: this phone belongs to “${who}”, but the last 6 of the ID number typed differ from the saved ones (which end in ${tail}). ` +
      (left > 0
        ? `A wrong try uses one of the ${left} tries left.`
        : "No tries are left: one more submit returns the filing, whatever is typed."),
    mismatchNoCount: (/** @type {string} */ who, /** @type {string} */ tail) =>
      `Check before you submit: this phone belongs to “${who}”, but the last 6 of the ID number typed differ from the saved ones (which end in ${tail}).`,
    mismatchAsk: "Submit with these values anyway?",
    mismatchFix: "Check the last 6 of the ID number first",
    mismatchGoOn: "They are right: go on (press 提交 again)",
    unsupported: "This prefix may not receive MIIT SMS.",
    updated: "Heyan was updated — reload the page to keep using it.",
    reload: "Reload",
  },
};

/** Both languages' tables, for the test that holds them to the same keys. */
export const TEXT_TABLES = TEXT;

/** The strings of the language in use. */
export let T = TEXT[LANG];

/** @type {((lang: Lang) => void)[]} */
const languageListeners = [];

/**
 * onLanguage calls fn whenever the language in use changes (a page's own
 * string table follows it so).
 * @param {(lang: Lang) => void} fn
 */
export function onLanguage(fn) {
  languageListeners.push(fn);
  fn(LANG);
}

/**
 * useLanguage switches the language in use.
 * @param {Lang} lang
 */
export function useLanguage(lang) {
  LANG = lang;
  T = TEXT[lang];
  for (const fn of languageListeners) fn(lang);
}

/**
 * loadLanguage reads the language setting and uses it; until it has, the
 * browser's language is used.
 * @returns {Promise<Lang>}
 */
export async function loadLanguage() {
  useLanguage(languageOf(await readSettings()));
  return LANG;
}

/**
 * timeLeftText says how long until the deadline, or that it passed.
 * @param {string | null} deadline RFC 3339
 * @param {number} now ms
 * @returns {string | null}
 */
export function timeLeftText(deadline, now) {
  if (!deadline) return null;
  const ms = Date.parse(deadline) - now;
  if (ms <= 0) return T.expired;
  const minutes = Math.floor(ms / 60000);
  return T.timeLeft(T.hoursMinutes(Math.floor(minutes / 60), minutes % 60));
}
