/* 设计器: conditions (显示条件, a step's 仅在满足条件时办理) built from pickers — one row per
   clause (field or 申请人类型 / 申请人所在单位, comparison, value), clauses joined by 且 or 或.
   The expression is what is saved; IT sees and may edit it under 高级（供 IT 查看）, and an
   expression the pickers cannot show (brackets, mixed 且/或, functions) is kept as written. */
(function () {
  "use strict";
  var B = window.OneHallBuilder, el = B.el;

  var OPS = [["==", "等于"], ["!=", "不等于"], [">", "大于"], ["<", "小于"], [">=", "大于等于"], ["<=", "小于等于"]];
  var JOINS = [["and", "且（全部满足）"], ["or", "或（满足其一）"]];
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

  /* "a and b and c" → {join: "and", pieces: [a, b, c]}; null for brackets or mixed and/or. */
  function splitTop(text) {
    var pieces = [], joins = [], cur = "", quote = null;
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (quote) {
        cur += ch;
        if (ch === "\\") cur += text[++i] || "";
        else if (ch === quote) quote = null;
        continue;
      }
      if (ch === '"' || ch === "'") { quote = ch; cur += ch; continue; }
      if (ch === "(" || ch === ")") return null;
      var m = /^\s+(and|or)\s+/.exec(text.slice(i));
      if (m) { pieces.push(cur); joins.push(m[1]); cur = ""; i += m[0].length - 1; continue; }
      cur += ch;
    }
    pieces.push(cur);
    if (joins.some(function (j) { return j !== joins[0]; })) return null;
    return {join: joins[0] || "and", pieces: pieces};
  }

  /* The clauses of ``text`` when every one is a simple comparison on a known subject, else null. */
  B.parseConditions = function (text, subjects) {
    if (!text || !text.trim()) return {join: "and", clauses: []};
    var split = splitTop(text);
    if (!split) return null;
    var clauses = split.pieces.map(B.parseCondition);
    if (clauses.some(function (c) { return !c || !subjects.some(function (s) { return s.value === c.subject; }); })) return null;
    return {join: split.join, clauses: clauses};
  };

  B.conditionText = function (subject, op, value, numeric) {
    var literal = numeric && /^-?\d+(\.\d+)?$/.test(String(value).trim()) ? String(value).trim() : JSON.stringify(String(value));
    return subject + " " + op + " " + literal;
  };

  /* subjects: [{value: "form.kind", label: "领用类型", options: [...] | null, numeric: bool}] */
  B.conditionEditor = function (text, subjects, onChange, k) {
    var parsed = B.parseConditions(text, subjects), custom = !!text && !parsed;
    var clauses = parsed && parsed.clauses.length ? parsed.clauses : [{subject: "", op: "==", value: ""}];
    var box = el("div", {class: "bz-cond"}), rows = el("div", {class: "bz-clauses"});
    var join = B.select(JOINS, parsed ? parsed.join : "and", {"aria-label": "多个条件之间", "data-k": k + "-join"});
    var add = el("button", {type: "button", class: "btn btn-link btn-sm p-0", text: "＋ 再加一个条件", "data-k": k + "-add"});
    var raw = el("textarea", {class: "form-control form-control-sm", rows: 2, value: text || "",
                              "aria-label": "条件表达式", "data-k": k + "-raw"});

    function key(i, part) { return k + (i ? "-c" + i : "") + "-" + part; }
    function subjectOf(c) { return subjects.filter(function (s) { return s.value === c.subject; })[0]; }

    function emit() {
      var complete = clauses.filter(function (c) { return c.subject; });
      if (!complete.length) { onChange(""); return; }
      if (complete.some(function (c) { return c.value === ""; })) return;     // unfinished: nothing saved yet
      onChange(complete.map(function (c) {
        return B.conditionText(c.subject, c.op, c.value, (subjectOf(c) || {}).numeric);
      }).join(" " + join.value + " "));
    }

    function row(c, i) {
      var subject = B.select([["", i ? "请选择" : "（不设条件）"]].concat(subjects.map(function (s) { return [s.value, s.label]; })),
                             c.subject, {"aria-label": "条件字段", "data-k": key(i, "subject")});
      var op = B.select(OPS, c.op, {"aria-label": "比较方式", "data-k": key(i, "op")});
      var s = subjectOf(c), value = null;
      op.hidden = !s;
      if (s) {
        value = s.options
          ? B.select([["", "请选择"]].concat(s.options.map(function (o) { return Array.isArray(o) ? o : [o, o]; })),
                     c.value, {"aria-label": "条件的值", "data-k": key(i, "value")})
          : el("input", {type: "text", class: "form-control form-control-sm", value: c.value,
                         "aria-label": "条件的值", "data-k": key(i, "value")});
        value.addEventListener(s.options ? "change" : "input", function () { c.value = value.value; emit(); });
      }
      subject.addEventListener("change", function () { c.subject = subject.value; c.value = ""; draw(); emit(); });
      op.addEventListener("change", function () { c.op = op.value; emit(); });
      var remove = i ? el("button", {type: "button", class: "bz-mini bz-danger", text: "✕", "aria-label": "删除这个条件",
                                     onclick: function () { clauses.splice(i, 1); draw(); emit(); }}) : null;
      return el("div", {class: "bz-clause"}, [subject, op, value, remove]);
    }

    function draw() {
      rows.textContent = "";
      clauses.forEach(function (c, i) {
        if (i) rows.appendChild(el("div", {class: "bz-join small text-muted", text: join.value === "or" ? "或" : "且"}));
        rows.appendChild(row(c, i));
      });
      join.hidden = clauses.length < 2;
      add.hidden = !clauses[0].subject;
    }

    join.addEventListener("change", function () { draw(); emit(); });
    add.addEventListener("click", function () { clauses.push({subject: "", op: "==", value: ""}); draw(); });
    raw.addEventListener("change", function () { onChange(raw.value.trim()); });
    draw();
    if (custom) box.appendChild(el("div", {class: "small text-muted", text: "此条件由 IT 编写，见“高级”"}));
    else { box.appendChild(rows); box.appendChild(join); box.appendChild(add); }
    box.appendChild(el("details", {class: "bz-advanced", open: custom, "data-k": k + "-details"}, [
      el("summary", {text: "高级（供 IT 查看）"}), raw]));
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
    out.push({value: "applicant.department", label: "申请人所在单位", options: B.data.all_departments, numeric: false});
    return out;
  };
})();
