/* 设计器: 预计时限 in everyday words and 预览 as a chosen applicant, on the builder page.
   三天 / 3日 / 3个工作日 / 72小时 are saved as the definition's 3天 / 3个工作日 / 72小时;
   anything else keeps its text in the box with one message beside it and is not saved.
   Choosing an applicant under 预览 shows the applicant's form (the hall's renderer, in a
   frame) and who would handle each step for that applicant, in place of the canvas. */
(function () {
  "use strict";
  var B = window.OneHallBuilder, el = B.el;

  var DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9};
  var UNITS = [[/^(个工作日|工作日)$/, "个工作日"], [/^(个小时|小时|h)$/i, "小时"], [/^(天|日|d)$/i, "天"],
               [/^(周|星期|个星期|w)$/i, "周"]];
  B.LIMIT_HINT = "预计时限请写成 3天、3个工作日、72小时 或 2周";

  function number(text) {
    if (/^\d+$/.test(text)) return Number(text);
    var m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
    if (!m || !text) return null;
    if (!m[2]) return m[3] ? null : DIGITS[m[1]];
    return (m[1] ? DIGITS[m[1]] : 1) * 10 + (m[3] ? DIGITS[m[3]] : 0);
  }

  /* "三天" → "3天"; "" → ""; null when it is not a time limit. */
  B.normalizeLimit = function (text) {
    var t = String(text || "").replace(/\s+/g, "");
    if (!t) return "";
    var m = /^(\d+|[零一二两三四五六七八九十]+)(.+)$/.exec(t);
    if (!m) return null;
    var n = number(m[1]), unit = null;
    UNITS.forEach(function (u) { if (!unit && u[0].test(m[2])) unit = u[1]; });
    if (!unit || n === null || n < 1 || n > 9999) return null;
    return n + unit;
  };

  B.initTimeLimit = function () {
    var input = document.getElementById("bz-time");
    input.addEventListener("input", function () {
      var value = B.normalizeLimit(input.value);
      B.st.limitText = value === null ? input.value : null;
      B.change(function (d) {
        if (value === null) return;
        if (value) d.time_limit = value; else delete d.time_limit;
      }, {coalesce: "meta-time_limit", delay: 600});
    });
    input.addEventListener("change", function () {
      if (typeof B.st.limitText !== "string") B.renderTimeLimit();
    });
  };

  B.renderTimeLimit = function () {
    var input = document.getElementById("bz-time");
    var stored = B.st.local.time_limit || "";
    if (document.activeElement !== input && typeof B.st.limitText !== "string") input.value = B.normalizeLimit(stored) || stored;   // 3d → 3天
  };

  B.limitProblems = function () {
    return typeof B.st.limitText !== "string" ? []
      : [{target: {kind: "meta", key: "time_limit"}, message: B.LIMIT_HINT}];
  };

  /* ---------------------------------------------------------------- 预览 */

  function $(id) { return document.getElementById(id); }

  B.showPreview = function () {
    var user = $("bz-preview-as").value, s = B.st.state;
    $("bz-preview").hidden = !user || !s;
    $("bz-paper").hidden = !!user && !!s;
    if (!user || !s) return;
    var url = s.preview_api + "?user=" + encodeURIComponent(user);
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (info) {
        $("bz-preview-title").textContent = "以" + info.applicant + "为申请人预览";
        var warn = (info.audience_ok ? [] : ["这位申请人的身份不在服务对象中，实际发起时会被拒绝"]).concat(info.warnings);
        $("bz-preview-warn").textContent = warn.join("；");
        $("bz-preview-warn").hidden = !warn.length;
        var chain = $("bz-preview-chain");
        chain.textContent = "";
        info.steps.forEach(function (step) {
          var who = !step.applies ? "（条件不满足，跳过）" : step.depends_on_form ? "：由申请人在表单中选择"
            : step.nobody ? "：⚠ 找不到办理人" : "：" + step.people.join("、");
          chain.appendChild(el("li", {class: step.applies ? "" : "text-muted", text: step.name + "（" + step.who + "）" + who}));
        });
        chain.appendChild(el("li", {text: "完成"}));
        var frame = $("bz-preview-frame");
        if (frame.getAttribute("src") !== info.frame_url) frame.setAttribute("src", info.frame_url);
        else frame.contentWindow.location.reload();
      });
  };

  B.initPreview = function () {
    $("bz-preview-as").addEventListener("change", B.showPreview);
    $("bz-preview-close").addEventListener("click", function () {
      $("bz-preview-as").value = "";
      B.showPreview();
    });
  };
})();
