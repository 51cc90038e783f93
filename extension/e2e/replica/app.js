// A local replica of the MIIT SMS-verification page (beian.miit.gov.cn), written
// from docs/SOURCES.md (The MIIT page) for the extension's browser
// tests. It is Vue 2 + vue-router + Element UI + axios like the real site, with
// templates precompiled by build.cjs (as vue-loader does) so it also runs under a
// strict CSP. Switches, read from the query string before the hash:
//   api=alt     post to a path the extension does not know (text detection alone)
//   fetch=1     send the request with fetch instead of axios/XHR
//   lockms=N    the submit lock (default 3000 ms, as on the site)
//   tips=0      never show the result banner (only the network reader can see answers)
//   show=P      show each result in P instead of the banner, as a page variant may:
//               alert (an Element el-alert above the tabs), notification
//               ($notify), messagebox ($alert) or toast ($message)
//   layout=plain  each form in a padded, bordered box of its own (div.form-box)
//               instead of .tab-card
//   lookuptoast=T  the ICP lookup page shows T in a toast when it opens
// Every answer the page's own code receives is kept, as JSON text, in
// window.replicaAnswers: the tests compare it with and without the extension.
/* global Vue, VueRouter, ELEMENT, axios, ReplicaTemplates */
(() => {
  var query = new URLSearchParams(location.search);
  // The API's host on the page's port: 443 as on the real site where the
  // browser maps both hosts to the replica's port (Chromium's
  // --host-resolver-rules), the replica's own where it maps only the address
  // (Firefox's network.dns.forceResolve, the page opened at :port).
  var API = `https://hlwicpfwc.miit.gov.cn${location.port ? `:${location.port}` : ""}/icpproject_query/api/`;
  var LOCK_MS = Number(query.get("lockms") || 3000);
  var SHOW_TIPS = query.get("tips") !== "0";
  var SHOW = query.get("show") || "tips";
  var PLAIN = query.get("layout") === "plain";
  window.replicaAnswers = [];

  // validStatus → banner text, exactly as the page maps them (mixed , and ，).
  var VERIFY_TEXT = {
    3: "您的短信核验已全部完成,该请求将提交管局审核。",
    31: "您的短信核验完成,请等待其他核验人进行短信核验。",
    20: "您的短信核验已完成，无需重复提交。",
    2: "您的短信核验失败,请输入正确的信息。",
    21: "您的短信核验失败,请联系接入商查询核验结果。",
    4: "该条验证库里找不到记录或已完成验证。",
    0: "您的短信核验失败,请您重新验证。",
  };
  var RESEND_TEXT = {
    100: "您暂无待短信核验的备案申请，无需重发短信。",
    101: "您的短信验证码已重发成功，请查看手机并尽快完成短信核验。",
    102: "重发次数已到上限，若不能及时完成短信核验，您的备案申请将会被退回。",
  };

  // The page's own modal (not Element UI): #shield over the page, #alertFram
  // with a ul: title, message, a " 确定 " button.
  function pageAlert(msg) {
    var shield = document.createElement("div");
    shield.id = "shield";
    var fram = document.createElement("div");
    fram.id = "alertFram";
    var ul = document.createElement("ul");
    var title = document.createElement("li");
    title.className = "alert-title";
    title.textContent = "提示";
    var text = document.createElement("li");
    text.className = "alert-msg";
    text.textContent = msg;
    var btnLi = document.createElement("li");
    var btn = document.createElement("input");
    btn.type = "button";
    btn.value = " 确定 ";
    btn.addEventListener("click", () => {
      shield.remove();
      fram.remove();
    });
    btnLi.appendChild(btn);
    ul.append(title, text, btnLi);
    fram.appendChild(ul);
    document.body.append(shield, fram);
  }

  function uuid() {
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 3) | 8).toString(16);
    });
  }

  var http = axios.create({ baseURL: API, timeout: 10000 });

  function post(path, body, headers) {
    if (query.get("fetch") === "1") {
      return fetch(API + path, {
        method: "POST",
        headers: Object.assign({ "Content-Type": "application/json;charset=UTF-8" }, headers),
        body: JSON.stringify(body),
      })
        .then((r) => r.json())
        .then((data) => ({ data: data }));
    }
    return http.post(path, body, { headers: headers });
  }

  var SmsForm = {
    render: ReplicaTemplates.SmsForm.render,
    staticRenderFns: ReplicaTemplates.SmsForm.staticRenderFns,
    data: () => ({
      tab: 0,
      tipsShow: false,
      tipsSus: false,
      tipsText: "",
      alertText: "",
      alertType: "info",
      boxClass: PLAIN ? "form-box" : "tab-card",
      locked: false,
      verifyForm: { smsValidCode: "", mobileNum: "", certNum: "" },
      resendForm: { mobileNum: "", certNum: "" },
      captcha: { show: false, gap: 0, offset: 0, msg: "向右拖动滑块填充拼图", kind: "" },
    }),
    watch: {
      tab: function () {
        this.showTab();
      },
    },
    mounted: function () {
      this.showTab();
    },
    methods: {
      showTab: function () {
        this.$refs.verifyCard.style.display = this.tab === 0 ? "block" : "none";
        this.$refs.resendCard.style.display = this.tab === 1 ? "block" : "none";
      },
      submit: function (kind) {
        this.locked = true;
        setTimeout(() => {
          this.locked = false;
        }, LOCK_MS);
        var f = kind === "verify" ? this.verifyForm : this.resendForm;
        if (kind === "verify" && !f.smsValidCode) return pageAlert("短信验证码不能为空");
        if (!f.mobileNum) return pageAlert("手机号不能为空");
        if (typeof f.mobileNum !== "number")
          return pageAlert(kind === "verify" ? "手机号为数字值" : "手机号必须为数字值");
        if (!/^1[3-9]\d{9}$/.test(String(f.mobileNum))) return pageAlert("请输入正确的手机号");
        if (!f.certNum) return pageAlert("证件号不能为空");
        this.captcha.kind = kind;
        this.newCaptcha();
        this.captcha.show = true;
      },
      newCaptcha: function () {
        this.captcha.gap = 120 + Math.floor(Math.random() * 120);
        this.captcha.offset = 0;
        this.captcha.msg = "向右拖动滑块填充拼图";
      },
      dragStart: function (ev) {
        var self = this;
        var startX = ev.clientX;
        function move(e) {
          self.captcha.offset = Math.max(0, Math.min(260, e.clientX - startX));
        }
        function up() {
          document.removeEventListener("mousemove", move);
          document.removeEventListener("mouseup", up);
          if (Math.abs(self.captcha.offset - self.captcha.gap) <= 4) {
            self.captcha.msg = "验证成功";
            setTimeout(() => {
              self.captcha.show = false;
              self.send(uuid());
            }, 50);
          } else {
            self.captcha.msg = "验证失败，请重试";
            setTimeout(() => {
              self.newCaptcha();
            }, 300);
          }
        }
        document.addEventListener("mousemove", move);
        document.addEventListener("mouseup", up);
      },
      send: function (sign) {
        var kind = this.captcha.kind;
        var f = kind === "verify" ? this.verifyForm : this.resendForm;
        var path = kind === "verify" ? "smsValidate/validateByCondition" : "smsValidate/resendSMSByCondition";
        if (query.get("api") === "alt") path = kind === "verify" ? "smsValidate/v2/check" : "smsValidate/v2/resend";
        var body =
          kind === "verify"
            ? { smsValidCode: f.smsValidCode, mobileNum: f.mobileNum, certNum: f.certNum }
            : { mobileNum: f.mobileNum, certNum: f.certNum };
        post(path, body, { uuid: uuid(), sign: sign, token: "replica-token" })
          .then((res) => {
            var data = res.data;
            window.replicaAnswers.push(JSON.stringify(data));
            if (data.code !== 200) {
              this.$message.error(data.msg);
              return;
            }
            var p = data.params || {};
            var table = kind === "verify" ? VERIFY_TEXT : RESEND_TEXT;
            var text = table[p.validStatus] || VERIFY_TEXT[0];
            var type = p.validFlag ? "success" : "error";
            switch (SHOW) {
              case "alert":
                this.alertType = type;
                this.alertText = text;
                break;
              case "notification":
                this.$notify({ title: "提示", message: text, type: type, duration: 0 });
                break;
              case "messagebox":
                this.$alert(text, "提示", { type: type });
                break;
              case "toast":
                this.$message({ message: text, type: type, duration: 0, showClose: true });
                break;
              default:
                this.tipsSus = !!p.validFlag;
                this.tipsText = text;
                this.tipsShow = SHOW_TIPS;
            }
          })
          .catch(() => {
            this.$message.error("网络异常，请稍后重试");
          });
      },
    },
  };

  function page(name, extra) {
    return Object.assign(
      {
        render: ReplicaTemplates[name].render,
        staticRenderFns: ReplicaTemplates[name].staticRenderFns,
        components: { SmsForm: SmsForm },
      },
      extra || {},
    );
  }

  var Home = page("Home", {
    data: () => ({
      notices: ["关于进一步做好互联网信息服务备案工作的通知", "ICP备案短信核验常见问题", "备案系统维护公告"],
    }),
  });
  var ComplaintA = page("ComplaintA");
  var RecordQuery = page("RecordQuery", {
    data: () => ({ keyword: "" }),
    mounted: function () {
      var toast = query.get("lookuptoast");
      if (toast) this.$message({ message: toast, type: "error", duration: 0 });
    },
  });

  Vue.use(ELEMENT);
  var router = new VueRouter({
    mode: "hash",
    routes: [
      { path: "/", redirect: "/Integrated/index" },
      { path: "/Integrated/index", component: Home },
      { path: "/Integrated/ComplaintA", component: ComplaintA },
      { path: "/Integrated/recordQuery", component: RecordQuery },
      { path: "*", component: RecordQuery },
    ],
  });
  new Vue({
    router: router,
    render: ReplicaTemplates.App.render,
    staticRenderFns: ReplicaTemplates.App.staticRenderFns,
  }).$mount("#app");
})();
