// @ts-check
// The extension's own words, one table per language: on the MIIT page (the
// card, the bar), in the popup (popup) and on the options page (options),
// zh-CN first, English second. The advice itself (titles, causes, steps) comes from the
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
    fill: "填入手机号和证件号码后6位",
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
    /** The popup's own words. */
    popup: {
      tabs: { who: "谁来核验", faq: "常见问题", status: "当前进度" },
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
      cancel: "取消",
    },
    /** The options page's own words. */
    options: {
      title: "核验助手：人员与备案",
      subtitle: "人员与备案",
      tabs: { people: "人员", filings: "备案", backup: "导入导出", sync: "同步", settings: "设置" },
      sync: {
        intro:
          "在多个浏览器之间同步保存的人员和备案。数据在本机加密后才发送，服务器看不到手机号、证件号码后6位和姓名。密码无法找回：忘记密码只能重新注册。",
        server: "同步服务器地址",
        serverHint: "https://sync.example.com",
        email: "邮箱",
        password: "密码",
        password2: "再输一次密码",
        signIn: "登录",
        register: "注册新账号",
        unlock: "解锁",
        lockedNote: (/** @type {string} */ email) =>
          `已登录同步账号 ${email}。浏览器重启后，保存的数据保持加密，输入密码解锁。`,
        endedNote: (/** @type {string} */ email) =>
          `账号 ${email} 的登录已结束（在别处改了密码或退出了）。输入密码重新登录。`,
        signedInAs: (/** @type {string} */ email, /** @type {string} */ server) => `已登录：${email}（${server}）`,
        lastSync: "上次同步",
        never: "还没有同步过",
        pending: "待发送的更改",
        syncing: "正在同步…",
        fullSync: (/** @type {number} */ done, /** @type {number} */ total) =>
          total ? `正在完整同步：${done} / ${total} 条` : `正在完整同步：${done} 条`,
        offline: (/** @type {string} */ since) =>
          `连不上同步服务器（从 ${since} 起）。更改保存在本机，服务器恢复后自动发送。`,
        upToDate: "已是最新。",
        syncNow: "立即同步",
        deriving: "正在根据密码计算密钥（argon2id），请稍候…",
        conflicts: "需要你选择的冲突",
        conflictNote: "两个浏览器改了同一项，改成了不同的值。现在用的是另一台的值；选一个保留：",
        mine: "本机的值",
        theirs: "另一台的值",
        keepMine: "用本机的",
        keepTheirs: "用另一台的",
        problems: "没有采用的记录",
        problemNote: "服务器上的这些记录没有通过校验，没有采用：",
        changePassword: "修改密码",
        currentPassword: "当前密码",
        newPassword: "新密码",
        newPassword2: "再输一次新密码",
        passwordChanged: "密码已修改；其他浏览器需要用新密码重新登录。",
        signOut: "退出登录",
        keepCopy: "在本机保留一份未加密的数据（姓名、手机号、证件号码后6位留在这个浏览器里，不再加密；需要先解锁）",
        wipeCopy: "从本机删除这些数据（本机不留姓名、手机号和证件号码后6位；账号里仍有，不用密码也能删）",
        chooseLeave: "请先选择退出后本机是保留一份未加密的数据，还是删除这些数据。",
        deleteAccount: "删除同步账号",
        deleteNote: "删除服务器上的账号和所有记录；本机保留一份未加密的数据。",
        deleteConfirm: "确认删除账号",
        mismatch: "两次输入的密码不一样。",
        tooShort: "密码至少 10 个字符。",
        needPermission: "需要允许核验助手访问这个服务器才能同步。",
        field: {
          name: "姓名/名称",
          role: "角色",
          phone: "手机号",
          docType: "证件类型",
          province: "省份",
          idLast6: "证件号码后6位",
          platform: "备案平台",
          scenario: "备案场景",
          people: "人员",
          smsAt: "短信时间",
          status: "状态",
        },
      },
      loading: "正在加载…",
      filter: "筛选",
      filterHint: "姓名、角色、备案名称",
      shown: (/** @type {number} */ n, /** @type {number} */ all) =>
        n === all ? `共 ${all} 项` : `显示 ${n} 项，共 ${all} 项`,
      edit: "修改",
      del: "删除",
      undo: "撤销",
      deleted: (/** @type {string} */ name) => `已删除“${name}”。`,
      undone: "已恢复。",
      // People
      addPerson: "+ 添加人员",
      noPeople: "还没有保存的人。点“添加人员”，或在工信部核验页面下方的核验助手栏里保存。",
      showPhone: "显示手机号",
      hidePhone: "隐藏手机号",
      zhejiangTag: "浙江",
      filingsOf: "所在备案",
      // Filings
      addFiling: "+ 添加备案",
      noFilings: "还没有备案。点“添加备案”：选平台和场景后，会列出需要核验的人。",
      filingName: "备案名称",
      filingNameHint: "如：某某小程序",
      platform: "备案平台",
      noPlatform: "（还没选）",
      scenario: "备案场景",
      noScenario: "（还没选）",
      askScenario: "用问题选场景",
      useScenario: "用这个场景",
      closeWizard: "不用问题选了",
      people: "需要核验的人",
      peopleHint: "选好场景后，这里列出这个场景要核验的每个角色。",
      nobodyInRole: "（还没选人）",
      addPeopleFirst: "先在“人员”里保存这些人，再回来选。",
      smsAt: "核验短信收到的时间",
      smsAtHint: "不知道就先空着：24 小时期限从这个时间算起。",
      smsAtNow: "就是现在",
      state: "进度",
      noRound: "还没有核验记录",
      save: "保存",
      cancel: "取消",
      // Backup
      exportTitle: "导出",
      exportText: "把保存的人和备案导出为一个 JSON 文件（含手机号和证件号码后6位，请妥善保管）。次数记录不导出。",
      exportButton: "导出为文件",
      importTitle: "导入",
      importText:
        "选一个核验助手导出的文件：先列出会添加、修改、跳过哪些记录，确认后一次全部写入；有任何一条不对就一条也不写。",
      chooseFile: "选择导出的文件",
      planTitle: (/** @type {number} */ add, /** @type {number} */ change, /** @type {number} */ skip) =>
        `将添加 ${add} 条，修改 ${change} 条，跳过 ${skip} 条`,
      kinds: { person: "人员", filing: "备案" },
      actions: { add: "添加", change: "修改", skip: "跳过" },
      column: { kind: "类别", name: "名称", action: "操作", why: "原因" },
      importButton: "确认导入",
      imported: (/** @type {number} */ add, /** @type {number} */ change) =>
        `已导入：添加 ${add} 条，修改 ${change} 条。`,
      fileTooBig: (/** @type {number} */ mb) => `文件太大（超过 ${mb} MB），不是核验助手导出的文件。没有导入任何内容。`,
      // Settings
      language: "语言",
      languages: { auto: "跟随浏览器", "zh-CN": "中文", en: "English" },
      card: "在工信部页面显示结果说明卡片",
      bar: "在工信部核验表单下显示核验助手栏",
      reminders: "24 小时期限前提醒（截止前 4 小时和 1 小时）",
      saved: "已保存。",
      douyin: "在抖音开放平台控制台解读备案状态（审核未通过、管局审核中）",
      douyinHint:
        "开启时浏览器会请求访问 developer.open-douyin.com 的权限，只用于读取备案页面上的状态并显示说明卡片；关闭即交还这项权限。",
      douyinAsking: "请在浏览器弹出的提示中选择“允许”。",
      douyinOn: "已开启：在抖音开放平台打开 基础设置 → 备案信息 → 查看填写信息，备案状态旁会出现说明卡片。",
      douyinOff: "已关闭：访问 developer.open-douyin.com 的权限已交还。",
      douyinDenied: "没有开启：浏览器没有授予访问 developer.open-douyin.com 的权限。",
    },
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
    popup: {
      tabs: { who: "Who verifies", faq: "FAQ", status: "Status" },
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
      cancel: "Cancel",
    },
    options: {
      title: "Heyan: people and filings",
      subtitle: "People and filings",
      tabs: { people: "People", filings: "Filings", backup: "Export & import", sync: "Sync", settings: "Settings" },
      sync: {
        intro:
          "Keep the saved people and filings in step between your browsers. Everything is encrypted here before it is sent: the server never sees a phone number, ID digits or a name. The password cannot be recovered: forgetting it means a new account.",
        server: "Sync server address",
        serverHint: "https://sync.example.com",
        email: "Email",
        password: "Password",
        password2: "Password again",
        signIn: "Sign in",
        register: "Create an account",
        unlock: "Unlock",
        lockedNote: (/** @type {string} */ email) =>
          `Signed in as ${email}. After a browser restart the saved data stays encrypted: type the password to unlock it.`,
        endedNote: (/** @type {string} */ email) =>
          `The session of ${email} ended (the password was changed, or it signed out elsewhere): type the password to sign in again.`,
        signedInAs: (/** @type {string} */ email, /** @type {string} */ server) => `Signed in as ${email} (${server})`,
        lastSync: "Last sync",
        never: "not yet",
        pending: "Changes waiting to go out",
        syncing: "Syncing…",
        fullSync: (/** @type {number} */ done, /** @type {number} */ total) =>
          total ? `Full sync: ${done} of ${total} records` : `Full sync: ${done} records`,
        offline: (/** @type {string} */ since) =>
          `The sync server cannot be reached (since ${since}). Changes are kept here and go out when it is back.`,
        upToDate: "Up to date.",
        syncNow: "Sync now",
        deriving: "Working out the keys from the password (argon2id)…",
        conflicts: "Conflicts for you to settle",
        conflictNote:
          "Two browsers changed the same field to different values. The other browser's value is in use now; choose which to keep:",
        mine: "This browser's value",
        theirs: "The other browser's value",
        keepMine: "Keep this browser's",
        keepTheirs: "Keep the other's",
        problems: "Records not applied",
        problemNote: "These records on the server did not pass the checks and were not applied:",
        changePassword: "Change password",
        currentPassword: "Current password",
        newPassword: "New password",
        newPassword2: "New password again",
        passwordChanged: "Password changed; other browsers sign in again with the new one.",
        signOut: "Sign out",
        keepCopy:
          "Keep an unencrypted copy in this browser (names, phone numbers and the last 6 of ID numbers stay here, no longer encrypted; unlock first)",
        wipeCopy:
          "Remove the data from this browser (no names, phone numbers or last 6 of ID numbers stay here; the account still has them; works without the password)",
        chooseLeave:
          "Choose first whether this browser keeps an unencrypted copy or removes the data when you sign out.",
        deleteAccount: "Delete the sync account",
        deleteNote: "Deletes the account and every record on the server; this browser keeps an unencrypted copy.",
        deleteConfirm: "Delete the account",
        mismatch: "The two passwords differ.",
        tooShort: "Use at least 10 characters.",
        needPermission: "Heyan needs your permission to reach this server to sync.",
        field: {
          name: "Name",
          role: "Role",
          phone: "Phone",
          docType: "ID document",
          province: "Province",
          idLast6: "Last 6 of the ID number",
          platform: "Platform",
          scenario: "Scenario",
          people: "People",
          smsAt: "SMS time",
          status: "Status",
        },
      },
      loading: "Loading…",
      filter: "Filter",
      filterHint: "name, role, filing",
      shown: (/** @type {number} */ n, /** @type {number} */ all) =>
        n === all ? `${all} in all` : `${n} of ${all} shown`,
      edit: "Edit",
      del: "Delete",
      undo: "Undo",
      deleted: (/** @type {string} */ name) => `Deleted “${name}”.`,
      undone: "Brought back.",
      addPerson: "+ Add a person",
      noPeople: "Nobody saved yet. Add a person here, or save one from the Heyan bar under the form on the MIIT page.",
      showPhone: "Show phone",
      hidePhone: "Hide phone",
      zhejiangTag: "Zhejiang",
      filingsOf: "Filings",
      addFiling: "+ Add a filing",
      noFilings:
        "No filings yet. Add one: once its platform and scenario are chosen, the people who must verify are listed.",
      filingName: "Filing name",
      filingNameHint: "e.g. my mini-program",
      platform: "Filing platform",
      noPlatform: "(not chosen yet)",
      scenario: "Scenario",
      noScenario: "(not chosen yet)",
      askScenario: "Choose with questions",
      useScenario: "Use this scenario",
      closeWizard: "Close the questions",
      people: "Who must verify",
      peopleHint: "Once a scenario is chosen, each role it needs is listed here.",
      nobodyInRole: "(nobody chosen)",
      addPeopleFirst: "Save these people under People first, then come back.",
      smsAt: "When the verification SMS arrived",
      smsAtHint: "Leave it empty if you do not know yet: the 24 hours count from this time.",
      smsAtNow: "Just now",
      state: "Progress",
      noRound: "Nothing recorded yet",
      save: "Save",
      cancel: "Cancel",
      exportTitle: "Export",
      exportText:
        "Export the saved people and filings as one JSON file (it holds phones and the last 6 of ID numbers: keep it safe). The counts of tries are not exported.",
      exportButton: "Export to a file",
      importTitle: "Import",
      importText:
        "Choose a file Heyan exported: what it would add, change and skip is listed first; once you confirm, all of it is written at once, and if any record is wrong, none is.",
      chooseFile: "Choose an exported file",
      planTitle: (/** @type {number} */ add, /** @type {number} */ change, /** @type {number} */ skip) =>
        `Adds ${add}, changes ${change}, skips ${skip}`,
      kinds: { person: "Person", filing: "Filing" },
      actions: { add: "Add", change: "Change", skip: "Skip" },
      column: { kind: "Kind", name: "Name", action: "Action", why: "Why" },
      importButton: "Import",
      imported: (/** @type {number} */ add, /** @type {number} */ change) =>
        `Imported: ${add} added, ${change} changed.`,
      fileTooBig: (/** @type {number} */ mb) =>
        `The file is too big (over ${mb} MB) to be a Heyan export. Nothing was imported.`,
      language: "Language",
      languages: { auto: "Follow the browser", "zh-CN": "中文 (Chinese)", en: "English" },
      card: "Show the explanation card on the MIIT page",
      bar: "Show the Heyan bar under the MIIT forms",
      reminders: "Remind me before the 24-hour deadline (4 hours and 1 hour before)",
      saved: "Saved.",
      douyin: "Explain the filing status on the Douyin open platform console (审核未通过, 管局审核中)",
      douyinHint:
        "Turning it on makes the browser ask for access to developer.open-douyin.com, used only to read the status on the filing page and show the explanation card; turning it off gives that access back.",
      douyinAsking: "Choose “Allow” in the browser's prompt.",
      douyinOn:
        "On: open 基础设置 → 备案信息 → 查看填写信息 on the Douyin open platform, and a card explains the filing status beside it.",
      douyinOff: "Off: the access to developer.open-douyin.com was given back.",
      douyinDenied: "Not turned on: the browser did not grant access to developer.open-douyin.com.",
    },
  },
};

/** Both languages' tables, for the test that holds them to the same keys. */
export const TEXT_TABLES = TEXT;

/** The strings of the language in use. */
export let T = TEXT[LANG];
/** The popup's strings in the language in use. */
export let P = T.popup;
/** The options page's strings in the language in use. */
export let O = T.options;

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
  P = T.popup;
  O = T.options;
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
