// @ts-check
// What a refused message means, in the user's language: the worker's codes
// (messages.js ERROR_CODES) as a sentence, the worker's own words after it
// for what only it knows.

import { ERROR_CODES } from "../messages.js";
import { errorCode, errorMessage } from "../errors.js";
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
    [ERROR_CODES.vaultLocked]: "已登录同步账号，保存的数据已加密：请在设置页“同步”中输入密码解锁。",
    [ERROR_CODES.syncOffline]: "连不上同步服务器：更改先保存在本机，服务器恢复后会自动发送。",
    [ERROR_CODES.syncRefused]: "同步服务器拒绝了这个请求。",
    [ERROR_CODES.signedOut]: "没有登录同步账号（或登录已过期），请重新登录。",
    [ERROR_CODES.emailTaken]: "这个邮箱已经注册过同步账号，请直接登录。",
    [ERROR_CODES.throttled]: "登录尝试太多，请稍后再试。",
    [ERROR_CODES.quotaExceeded]: "同步账号的存储已满：请删除一些人员或备案。",
    [ERROR_CODES.wrongPassword]: "邮箱或密码不对；本机数据没有改动。",
    "kdf-too-weak": "服务器要求的密钥参数低于核验助手的安全下限，已拒绝（服务器可能被篡改）；没有发送密码。",
    "kdf-unsupported": "服务器给出的密钥参数不受支持，已拒绝；没有发送密码。",
    "password-invalid": "密码含有不允许的字符（如控制字符），请换一个密码。",
    "record-moved": "服务器上的一条记录对不上（被移动或篡改），没有采用。",
    "record-rolled-back": "服务器发来了一条记录的旧版本，没有采用。",
    "wrong-key": "服务器上的一条记录不是用这个账号的密钥加密的，没有采用。",
    [ERROR_CODES.internal]: "核验助手内部出错了。",
  },
  en: {
    [ERROR_CODES.forbidden]: "This can only be done on Heyan's own pages.",
    [ERROR_CODES.rateLimited]: "Too many changes at once: try again in a minute.",
    [ERROR_CODES.badMessage]: "Heyan hit an internal error (a malformed message): reload the extension.",
    [ERROR_CODES.badInput]: "Something typed is not right: check it and try again.",
    [ERROR_CODES.notFound]: "That record is gone (deleted elsewhere?).",
    [ERROR_CODES.coreUnavailable]: "Heyan's core did not start: try again in a moment.",
    [ERROR_CODES.stateNewer]:
      "The saved data comes from a newer version of Heyan: update the extension first. Nothing was changed.",
    [ERROR_CODES.workerUnreachable]: "Heyan's background could not be reached: try again in a moment.",
    [ERROR_CODES.extensionGone]: "Heyan was updated or turned off: reload the page.",
    [ERROR_CODES.duplicate]: "That is saved already: do not save it twice.",
    [ERROR_CODES.badImport]: "This file cannot be imported.",
    [ERROR_CODES.tooLarge]: "The file is too big.",
    [ERROR_CODES.undoExpired]: "It can no longer be undone (a delete can be undone for a few minutes only).",
    [ERROR_CODES.vaultLocked]:
      "Signed in to sync, so the saved data is encrypted: unlock it with your password under Settings → Sync.",
    [ERROR_CODES.syncOffline]: "The sync server cannot be reached: changes are kept here and go out when it is back.",
    [ERROR_CODES.syncRefused]: "The sync server refused the request.",
    [ERROR_CODES.signedOut]: "Not signed in to sync (or the session ended): sign in again.",
    [ERROR_CODES.emailTaken]: "This email already has a sync account: sign in instead.",
    [ERROR_CODES.throttled]: "Too many sign-in attempts: try again later.",
    [ERROR_CODES.quotaExceeded]: "The sync account is full: delete some people or filings.",
    [ERROR_CODES.wrongPassword]: "Wrong email or password; nothing on this browser was changed.",
    "kdf-too-weak":
      "The server asked for key parameters below Heyan's safety floor; refused (the server may be tampered with). The password was not sent.",
    "kdf-unsupported": "The server's key parameters are not supported; refused. The password was not sent.",
    "password-invalid": "The password has characters that are not allowed (control characters): choose another.",
    "record-moved": "A record on the server does not match its place (moved or altered); it was not applied.",
    "record-rolled-back": "The server sent an older version of a record; it was not applied.",
    "wrong-key": "A record on the server is not sealed with this account's key; it was not applied.",
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
  return LANG === "en" ? `${said} (${errorMessage(err)})` : `${said}（${errorMessage(err)}）`;
}
