/* 设计器, schema-defined forms: the properties of a form written as JSON Schema, edited as
   cards (标题, 说明, 必填, 选项, 字数; 添加, 删除, 上移/下移). Every edit is one op sent to the
   server (state.schema_api), which changes the schema minimally and saves the draft; the
   answer is the new state. What the builder does not edit is a read-only block (在源码中修改).
   Loaded after builder.js, only for schema drafts. */
(function () {
  "use strict";
  var B = window.OneHallBuilder, el = B.el, st = B.st;
  if (!st.state || !st.state.schema_api) return;
  var KINDS = {text: "单行文本", number: "数字", date: "日期", choice: "单选", boolean: "是/否", group: "分组",
               readonly: "只读"};
  var open = {};             // path key → card editor open
  var panel = el("section", {class: "bz-props bz-schema", id: "bz-schema", "aria-label": "表单字段（JSON Schema）"});
  var props = document.getElementById("bz-props");
  props.parentNode.insertBefore(panel, props);
  props.hidden = true;
  document.getElementById("bz").classList.add("bz-schema-mode");   // no palette: fields are added here

  function key(path) { return path.join("\u0000"); }

  function send(op) {
    var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content;
    B.status("正在保存…");
    return fetch(st.state.schema_api, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json"},
      body: JSON.stringify({revision: st.revision, op: op})})
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (b) { return {status: r.status, body: b}; }); })
      .then(function (res) {
        if (res.status === 200) { B.loaded(res.body); render(); return true; }
        var message = res.status === 409 ? "草稿已被他人修改，请刷新页面后再改"
          : res.body.message || "保存失败（" + res.status + "）";
        render(message);
        B.status("未保存：" + message, true);
        return false;
      }, function () { B.status("网络错误，修改尚未保存", true); });
  }

  function optionLines(options) {
    return (options || []).map(function (o) { return String(o[0]) === String(o[1]) ? String(o[1]) : o[0] + "=" + o[1]; }).join("\n");
  }

  function parseOptions(text, old) {
    var numeric = (old || []).length > 0 && old.every(function (o) { return typeof o[0] === "number"; });
    return text.split("\n").map(function (l) { return l.trim(); }).filter(Boolean).map(function (line) {
      var at = line.indexOf("="), value = at > 0 ? line.slice(0, at).trim() : line, label = at > 0 ? line.slice(at + 1).trim() : line;
      if (numeric && /^-?\d+(\.\d+)?$/.test(value)) value = Number(value);
      return [value, label];
    });
  }

  function editor(card) {
    var k = "s-" + key(card.path);
    var title = el("input", {type: "text", class: "form-control form-control-sm", value: card.label, "data-k": k + "-label"});
    var help = el("input", {type: "text", class: "form-control form-control-sm", value: card.help || "", "data-k": k + "-help"});
    var required = el("input", {type: "checkbox", checked: card.required, "data-k": k + "-required"});
    var box = el("div", {class: "bz-schema-edit"}, [B.prop("标题", title, "label", k + "-label"), B.prop("说明", help, "help", k + "-help"),
      el("label", {class: "bz-check"}, [required, " 必填"])]);
    var low, high, options;
    if (card.kind === "text") {
      low = el("input", {type: "number", min: 0, class: "form-control form-control-sm", value: card.min_length === null || card.min_length === undefined ? "" : card.min_length, "data-k": k + "-min"});
      high = el("input", {type: "number", min: 0, class: "form-control form-control-sm", value: card.max_length === null || card.max_length === undefined ? "" : card.max_length, "data-k": k + "-max"});
      box.appendChild(B.prop("最少字数", low, "min_length", k + "-min"));
      box.appendChild(B.prop("最多字数", high, "max_length", k + "-max"));
    }
    if (card.kind === "choice") {
      options = el("textarea", {class: "form-control form-control-sm", rows: 4, value: optionLines(card.options), "data-k": k + "-options"});
      box.appendChild(B.prop("选项（每行一个；值=显示名）", options, "options", k + "-options"));
    }
    box.appendChild(el("button", {type: "button", class: "btn btn-primary btn-sm", text: "保存修改", onclick: function () {
      var changes = {label: title.value, help: help.value, required: required.checked};
      if (low) { changes.min_length = low.value; changes.max_length = high.value; }
      if (options) changes.options = parseOptions(options.value, card.options);
      send({op: "update", path: card.path, set: changes}).then(function (ok) { if (ok) B.status("已保存"); });
    }}));
    return box;
  }

  function adder(parentPath, groupLabel) {
    var kind = B.select(Object.keys(st.state.schema_addable).map(function (t) { return [t, st.state.schema_addable[t]]; }), "text",
                        {"aria-label": "新字段类型"});
    var label = el("input", {type: "text", class: "form-control form-control-sm", placeholder: groupLabel ? "加到“" + groupLabel + "”的新字段" : "新字段标题",
                             "aria-label": groupLabel ? "“" + groupLabel + "”的新字段标题" : "新字段标题",
                             "data-k": "s-add-" + key(parentPath)});
    return el("div", {class: "bz-schema-add"}, [kind, label, el("button", {type: "button", class: "btn btn-outline-primary btn-sm",
      text: "＋ 添加字段", onclick: function () {
        send({op: "add", parent: parentPath, field: {kind: kind.value, label: label.value.trim()}});
      }})]);
  }

  function list(cards, parentPath) {
    var ul = el("ul", {class: "list-unstyled bz-schema-list"});
    var movable = cards.filter(function (c) { return !c.block; });
    cards.forEach(function (card) {
      var block = !!card.block;                         // a condition block, not a property
      var index = movable.indexOf(card);
      var head = el("div", {class: "bz-schema-head"}, [
        el("b", {text: card.label}), card.required ? el("span", {class: "text-danger", text: " *"}) : null,
        el("span", {class: "badge badge-light ml-1", text: KINDS[card.kind] || card.kind})]);
      var li = el("li", {class: "bz-schema-card" + (card.editable ? "" : " bz-schema-readonly"), "data-path": card.path.join("/")}, [head]);
      if (card.note) li.appendChild(el("div", {class: "small text-muted", text: card.note}));
      if (!block) {
        var tools = el("div", {class: "bz-schema-tools"}, [
          el("button", {type: "button", class: "btn btn-link btn-sm", text: open[key(card.path)] ? "收起" : "编辑",
                        "aria-label": "编辑“" + card.label + "”", onclick: function () { open[key(card.path)] = !open[key(card.path)]; render(); }}),
          el("button", {type: "button", class: "btn btn-link btn-sm", text: "上移", disabled: index <= 0, "aria-label": "上移“" + card.label + "”",
                        onclick: function () { send({op: "move", path: card.path, to: index - 1}); }}),
          el("button", {type: "button", class: "btn btn-link btn-sm", text: "下移", disabled: index < 0 || index >= movable.length - 1,
                        "aria-label": "下移“" + card.label + "”", onclick: function () { send({op: "move", path: card.path, to: index + 1}); }}),
          el("button", {type: "button", class: "btn btn-link btn-sm text-danger", text: "删除", "aria-label": "删除“" + card.label + "”",
                        onclick: function () { if (window.confirm("删除字段“" + card.label + "”？")) send({op: "remove", path: card.path}); }})]);
        li.appendChild(tools);
        if (open[key(card.path)]) li.appendChild(editor(card));
      }
      if (card.kind === "group" && card.children) {
        li.appendChild(list(card.children, card.path));
        li.appendChild(adder(card.path, card.label));
      }
      ul.appendChild(li);
    });
    return ul;
  }

  function render(problem) {
    panel.textContent = "";
    panel.appendChild(el("h5", {text: "表单字段"}));
    panel.appendChild(el("p", {class: "small text-muted", text: "这个表单以 JSON Schema 定义；条件、引用等在源码中修改。"}));
    if (problem) panel.appendChild(el("p", {class: "bz-err-msg", role: "alert", text: problem}));
    panel.appendChild(list(st.state.schema_fields || [], []));
    panel.appendChild(adder([]));
  }

  render();
})();
