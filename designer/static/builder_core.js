/* 设计器 shared helpers: the namespace, DOM building, the condition editor and the search
   picker. Loaded first; builder_props.js, builder_steps.js, builder_canvas.js and builder.js
   add to window.OneHallBuilder. Plain JS, no libraries. */
(function () {
  "use strict";
  var B = window.OneHallBuilder = {};

  B.clone = function (v) { return JSON.parse(JSON.stringify(v)); };

  /* el("div", {class: "x", text: "…", onclick: fn, "aria-label": "…"}, [children]) */
  B.el = function (tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k === "value") node.value = v;
      else if (k === "checked") node.checked = !!v;
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    });
    (kids || []).forEach(function (kid) {
      if (kid === null || kid === undefined || kid === false) return;
      node.appendChild(typeof kid === "string" ? document.createTextNode(kid) : kid);
    });
    return node;
  };

  B.select = function (options, value, attrs) {
    var s = B.el("select", Object.assign({class: "form-control form-control-sm"}, attrs || {}));
    options.forEach(function (o) {
      var opt = B.el("option", {value: o[0], text: o[1]});
      if (String(o[0]) === String(value === undefined || value === null ? "" : value)) opt.selected = true;
      s.appendChild(opt);
    });
    return s;
  };

  B.prop = function (title, control, errKey, k) {
    var id = "bz-c-" + k;
    if (control.id === "") control.id = id;
    return B.el("div", {class: "bz-prop", "data-err": errKey || null},
                [B.el("label", {for: control.id, text: title}), control]);
  };

  B.checks = function (legend, options, values, onChange, k) {
    var box = B.el("fieldset", {class: "bz-prop"}, [B.el("legend", {class: "bz-prop-title", text: legend})]);
    var wrap = B.el("div", {class: "bz-checks"});
    options.forEach(function (o) {
      var input = B.el("input", {type: "checkbox", value: o[0], checked: values.indexOf(o[0]) >= 0,
                                 "data-k": k + "-" + o[0]});
      input.addEventListener("change", function () {
        var picked = Array.prototype.filter.call(wrap.querySelectorAll("input"), function (i) { return i.checked; })
          .map(function (i) { return i.value; });
        onChange(picked);
      });
      wrap.appendChild(B.el("label", {class: "bz-check"}, [input, " " + o[1]]));
    });
    box.appendChild(wrap);
    return box;
  };

  /* ---------------------------------------------------------------- conditions */

  var OPS = [["==", "等于"], ["!=", "不等于"], [">", "大于"], ["<", "小于"], [">=", "大于等于"], ["<=", "小于等于"]];
  var SIMPLE = /^\s*(form|applicant)\.([A-Za-z_][\w-]*)\s*(==|!=|>=|<=|>|<)\s*("(?:[^"\\]|\\.)*"|'[^']*'|-?\d+(?:\.\d+)?)\s*$/;
  var NUMERIC = ["number", "money"];

  B.parseCondition = function (text) {
    var m = SIMPLE.exec(text || "");
    if (!m) return null;
    var raw = m[4], value;
    if (raw[0] === '"') { try { value = JSON.parse(raw); } catch (e) { return null; } }
    else if (raw[0] === "'") value = raw.slice(1, -1);
    else value = raw;
    return {subject: m[1] + "." + m[2], op: m[3], value: value};
  };

  B.conditionText = function (subject, op, value, numeric) {
    var literal = numeric && /^-?\d+(\.\d+)?$/.test(String(value).trim()) ? String(value).trim() : JSON.stringify(String(value));
    return subject + " " + op + " " + literal;
  };

  /* subjects: [{value: "form.kind", label: "领用类型", options: [...] | null, numeric: bool}] */
  B.conditionEditor = function (text, subjects, onChange, k) {
    var parsed = B.parseCondition(text);
    if (parsed && !subjects.some(function (s) { return s.value === parsed.subject; })) parsed = null;
    var custom = !!text && !parsed;
    var box = B.el("div", {class: "bz-cond"});
    var subject = B.select([["", "（不设条件）"]].concat(subjects.map(function (s) { return [s.value, s.label]; })),
                           parsed ? parsed.subject : "", {"aria-label": "条件字段", "data-k": k + "-subject"});
    var op = B.select(OPS, parsed ? parsed.op : "==", {"aria-label": "比较方式", "data-k": k + "-op"});
    var valueBox = B.el("div");
    var raw = B.el("textarea", {class: "form-control form-control-sm", rows: 2, value: text || "",
                                "aria-label": "条件表达式", "data-k": k + "-raw"});
    function current() { return subjects.filter(function (s) { return s.value === subject.value; })[0]; }
    function valueControl() {
      var s = current(), value = parsed && parsed.subject === subject.value ? parsed.value : "";
      valueBox.textContent = "";
      op.hidden = !s;
      if (!s) return;
      var control = s.options
        ? B.select([["", "请选择"]].concat(s.options.map(function (o) { return Array.isArray(o) ? o : [o, o]; })),
                   value, {"aria-label": "条件的值", "data-k": k + "-value"})
        : B.el("input", {type: "text", class: "form-control form-control-sm", value: value,
                         "aria-label": "条件的值", "data-k": k + "-value"});
      control.addEventListener(s.options ? "change" : "input", emit);
      valueBox.appendChild(control);
    }
    function emit() {
      var s = current();
      if (!s) { onChange(""); return; }
      var input = valueBox.querySelector("input, select");
      if (!input || input.value === "") return;       // incomplete: nothing saved yet
      onChange(B.conditionText(s.value, op.value, input.value, s.numeric));
    }
    subject.addEventListener("change", function () { parsed = null; valueControl(); emit(); });
    op.addEventListener("change", emit);
    raw.addEventListener("change", function () { onChange(raw.value.trim()); });
    valueControl();
    box.appendChild(subject);
    box.appendChild(op);
    box.appendChild(valueBox);
    if (custom) box.appendChild(B.el("div", {class: "small text-muted", text: "使用自定义条件（见“高级”）"}));
    box.appendChild(B.el("details", {class: "bz-advanced", open: custom, "data-k": k + "-details"}, [
      B.el("summary", {text: "高级（供 IT 查看）"}), raw]));
    return box;
  };

  B.subjects = function (fields, exceptName) {
    var out = [];
    fields.forEach(function (f) {
      var info = B.types[f.type] || {};
      if (!info.is_input || f.name === exceptName || !f.name || f.type === "rows" || f.type === "file") return;
      out.push({value: "form." + f.name, label: f.label || f.name, options: f.options || null,
                numeric: NUMERIC.indexOf(f.type) >= 0});
    });
    out.push({value: "applicant.type", label: "申请人类型", options: B.data.audiences, numeric: false});
    return out;
  };

  /* ---------------------------------------------------------------- search picker */

  B.picker = function (kind, value, label, onPick, k) {
    var box = B.el("div", {class: "bz-picker"});
    var shown = B.el("div", {}, [value ? B.el("span", {class: "bz-picked", text: label || value})
                                       : B.el("span", {class: "text-danger small", text: "尚未选择"})]);
    var input = B.el("input", {type: "search", class: "form-control form-control-sm", "data-k": k,
                               placeholder: {users: "输入姓名搜索人员", roles: "输入名称搜索角色",
                                             departments: "输入名称搜索部门"}[kind] || "搜索",
                               "aria-label": {users: "搜索人员", roles: "搜索角色", departments: "搜索部门"}[kind]});
    var list = B.el("ul", {class: "bz-results", role: "listbox"});
    var timer = null, seq = 0;
    function search() {
      var mine = ++seq;
      fetch(B.data.urls.lookup.replace("KIND", kind) + "?q=" + encodeURIComponent(input.value),
            {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (body) {
          if (mine !== seq) return;
          list.textContent = "";
          (body.results || []).forEach(function (r) {
            list.appendChild(B.el("li", {}, [B.el("button", {type: "button", role: "option", text: r.label,
              onclick: function () { B.rememberLabel(kind, r.value, r.label); onPick(r.value, r.label); }})]));
          });
          if (!(body.results || []).length && input.value) list.appendChild(B.el("li", {class: "small text-muted px-2", text: "没有找到"}));
        });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
    input.addEventListener("focus", function () { if (kind !== "users") search(); });
    box.appendChild(shown);
    box.appendChild(input);
    box.appendChild(list);
    return box;
  };
})();
