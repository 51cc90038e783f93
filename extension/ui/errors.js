// @ts-check
// What a refused message means, in the user's language: the worker's codes
// (messages.js ERROR_CODES) as a sentence, the worker's own words after it
// for what only it knows.

import { ERROR_CODES, errorCode, errorMessage } from "../messages.js";
import { LANG } from "./i18n.js";

/** @type {Record<"zh-CN" | "en", Record<string, string>>} */
export const SAID = {
  "zh-CN": {
    [ERROR_CODES.forbidden]: "这个操作只能在核验助手自己的页面里进行。",
    [ERROR_CODES.rateLimited]: "操作太频繁，请一分钟后再试。",
    [ERROR_CODES.badMessage]: "核验助手内部出错了（消息格式不对），请重新加载扩展。",
    [ERROR_CODES.badInput]: "填写的内容不对，请检查后再试。",
    [ERROR_CODES.notFound]: "这条记录已经不在了（可能在别处删除了）。",
    [ERROR_CODES.coreUnavailable]: "核验助手的核心没有启动，请稍后再试。",
    [ERROR_CODES.stateNewer]: "保存的数据来自更新版本的核验助手，请先更新扩展；数据没有被改动。",
    [ERROR_CODES.workerUnreachable]: "暂时连不上核验助手的后台，请稍后再试。",
    [ERROR_CODES.extensionGone]: "核验助手已更新或被停用，请刷新页面。",
    [ERROR_CODES.duplicate]: "已经保存过了，不要重复保存。",
    [ERROR_CODES.badImport]: "这个文件不能导入。",
    [ERROR_CODES.tooLarge]: "文件太大。",
    [ERROR_CODES.undoExpired]: "已经不能撤销了（删除后只能在几分钟内撤销）。",
    [ERROR_CODES.internal]: "核验助手内部出错了。",
  },
  en: {
    [ERROR_CODES.forbidden]: "This can only be done on Heyan's own pages.",
    [ERROR_CODES.rateLimited]: "Too many changes at once: try again in a minute.",
    [ERROR_CODES.badMessage]: "Heyan hit an internal error (a malformed message): reload the extension.",
    [ERROR_CODES.badInput]: "Something typed is not right: check it and try again.",
    [ERROR_CODES.notFound]: "That record is gone (deleted elsewhere?).",
    [ERROR_CODES.coreUnavailable]: "Heyan's core did not start: try again in a moment.",
    [ERROR_CODES.stateNewer]: "The saved data comes from a newer version of Heyan: update the extension first. Nothing was changed.",
    [ERROR_CODES.workerUnreachable]: "Heyan's background could not be reached: try again in a moment.",
    [ERROR_CODES.extensionGone]: "Heyan was updated or turned off: reload the page.",
    [ERROR_CODES.duplicate]: "That is saved already: do not save it twice.",
    [ERROR_CODES.badImport]: "This file cannot be imported.",
    [ERROR_CODES.tooLarge]: "The file is too big.",
    [ERROR_CODES.undoExpired]: "It can no longer be undone (a delete can be undone for a few minutes only).",
    [ERROR_CODES.internal]: "Heyan hit an internal error.",
  },
};

/**
 * errorText says what went wrong in the user's language.
 * @param {unknown} err
 * @returns {string}
 */
export function errorText(err) {
  const said = SAID[LANG][errorCode(err)];
  if (!said) return errorMessage(err); // a core error: its message is in the user's language already
  return LANG === "en" ? said + " (" + errorMessage(err) + ")" : said + "（" + errorMessage(err) + "）";
}
