/* 设计器: the selected field's property panel, generated from its type's accepted-keys
   schemas (plugins/fields.py): boolean → checkbox, enum → select, list of strings → one per
   line, number → number input, columns → a column editor, x-advanced keys under 高级,
   x-choices → pickers. No editor is written per field type. */
(function () {
  "use strict";
  var B = window.OneHallBuilder, el = B.el;
  var SKIP = ["name", "type"];
  var LONG_TEXT = ["help", "text"];

  B.fieldAt = function (d, sel) {
    var f = d.form.fields[sel.index];
    return sel.column === null || sel.column === undefined ? f : (f.columns || [])[sel.column];
  };

  /* An op setting one key of the addressed field; "" / false / [] remove the key. */
  B.setKey = function (sel, key, value) {
    var s = {index: sel.index, column: sel.column};
    return function (d) {
      var f = B.fieldAt(d, s);
      if (!f) return;
      var empty = value === "" || value === false || value === null || value === undefined ||
                  (Array.isArray(value) && !value.length);
      if (empty) delete f[key]; else f[key] = B.clone(value);
      if (key === "label" && B.renamable(d, f, s.column === null || s.column === undefined ? null : d.form.fields[s.index])) f.name = "";
    };
  };

  /* Names a published version stores data under: fields, and rows columns as "rows.column". */
  B.publishedNames = function (d) {
    var out = [];
    d.form.fields.forEach(function (f) {
      out.push(f.name);
      (f.columns || []).forEach(function (c) { out.push(f.name + "." + c.name); });
    });
    return out;
  };

  /* A field's generated name may follow its label until it is published or referred to. */
  B.renamable = function (d, f, parent) {
    var published = parent ? parent.name + "." + f.name : f.name;
    if (!f.name || B.data.published_names.indexOf(published) >= 0) return false;
    if (parent) return true;
    var text = JSON.stringify(d.steps) + JSON.stringify(d.title || "") +
      d.form.fields.map(function (x) { return (x.visible_when || "") + " " + (x.required_when || ""); }).join(" ");
    return text.indexOf('"' + f.name + '"') < 0 && !new RegExp("form\\." + f.name + "\\b").test(text);
  };

  function schemaKind(key, schema) {
    if (key === "columns") return "columns";
    if (key === "visible_when" || key === "required_when") return "condition";
    if (schema["x-choices"] === "autofill") return "autofill";
    if (schema.enum) return "enum";
    var type = schema.type;
    if (type === "boolean") return "boolean";
    if (type === "integer" || type === "number") return "number";
    if (type === "array" && schema.items && schema.items.type === "string") return "lines";
    if (type === "object" || type === "array") return "json";
    if (LONG_TEXT.indexOf(key) >= 0) return "textarea";
    return "text";
  }

  /* A control for one setting from its JSON Schema alone (a plugin's key or an assignee
     kind's part without x-choices): checkbox, select, number, lines, JSON or text.
     ``onChange`` gets the new value when the control is left or changed. */
  B.schemaControl = function (schema, value, onChange, k) {
    var kind = schemaKind("", schema || {}), input, cls = "form-control form-control-sm";
    var shown = value === undefined || value === null ? "" : value;
    switch (kind) {
      case "boolean":
        input = el("input", {type: "checkbox", checked: !!value, "data-k": k,
                             onchange: function () { onChange(input.checked); }});
        return input;
      case "enum":
        return B.select([["", "（无）"]].concat(schema.enum.map(function (v) { return [v, v]; })), value,
                        {"data-k": k, onchange: function (ev) { onChange(ev.target.value); }});
      case "number":
        input = el("input", {type: "number", class: cls, value: shown, min: schema.minimum, max: schema.maximum,
                             "data-k": k, onchange: function () { onChange(input.value === "" ? "" : Number(input.value)); }});
        return input;
      case "lines":
        input = el("textarea", {class: cls, rows: 3, "data-k": k, value: (value || []).join("\n"), placeholder: "每行一项",
                                onchange: function () {
                                  onChange(input.value.split("\n").map(function (s) { return s.trim(); })
                                    .filter(function (s, i, all) { return s && all.indexOf(s) === i; }));
                                }});
        return input;
      case "json":
        input = el("textarea", {class: cls, rows: 3, "data-k": k, value: shown === "" ? "" : JSON.stringify(value),
                                onchange: function () {
                                  try { onChange(input.value.trim() ? JSON.parse(input.value) : ""); }
                                  catch (e) { onChange(input.value); }      // the server names the problem
                                }});
        return input;
      default:
        input = el("input", {type: "text", class: cls, value: String(shown), "data-k": k,
                             placeholder: schema.description || "",
                             onchange: function () { onChange(input.value.trim()); }});
        return input;
    }
  };

  function control(sel, f, key, schema, k) {
    var title = schema.title || key, kind = schema.type ? schemaKind(key, schema) : schemaKind(key, schema);
    var value = f[key], change = function (v, delay) {
      B.change(B.setKey(sel, key, v), {coalesce: k, delay: delay});
    };
    var input;
    if (schema["x-scale"]) return scaledNumber(title, key, schema, value, change, k);
    if (schema["x-choices"] === "file_kinds") return fileKinds(title, key, value, change, k);
    switch (kind) {
      case "boolean":
        input = el("input", {type: "checkbox", checked: !!value, "data-k": k, id: "bz-c-" + k,
                             onchange: function () { change(input.checked, 0); }});
        return el("div", {class: "bz-prop", "data-err": key}, [el("label", {class: "bz-check", for: input.id}, [input, " " + title])]);
      case "enum":
        input = B.select([["", "（无）"]].concat(schema.enum.map(function (v) { return [v, v]; })), value,
                         {"data-k": k, onchange: function () { change(input.value, 0); }});
        return B.prop(title, input, key, k);
      case "autofill":
        input = B.select([["", "不自动填充"]].concat(B.data.autofill), value,
                         {"data-k": k, onchange: function () { change(input.value, 0); }});
        return B.prop(title, input, key, k);
      case "number":
        input = el("input", {type: "number", class: "form-control form-control-sm", value: value === undefined ? "" : value,
                             min: schema.minimum, "data-k": k,
                             oninput: function () { change(input.value === "" ? "" : Number(input.value), 500); }});
        return B.prop(title, input, key, k);
      case "lines":
        input = el("textarea", {class: "form-control form-control-sm", rows: 3, "data-k": k,
                                value: (value || []).join("\n"), placeholder: "每行一项",
                                oninput: function () {
                                  var lines = input.value.split("\n").map(function (s) { return s.trim(); })
                                    .filter(function (s, i, all) { return s && all.indexOf(s) === i; });
                                  change(lines, 600);
                                }});
        return B.prop(title + "（每行一项）", input, key, k);
      case "condition":
        var d = B.st.local, fields = sel.column === null || sel.column === undefined ? d.form.fields : [];
        return el("div", {class: "bz-prop", "data-err": key}, [el("div", {class: "bz-prop-title", text: title}),
          B.conditionEditor(value, B.subjects(fields, f.name), function (text) { change(text, 0); }, k)]);
      case "columns":
        return B.columnEditor(sel, f, k);
      case "json":
        return B.prop(title, B.schemaControl(schema, value, function (v) { change(v, 0); }, k), key, k);
      default:
        var attrs = {class: "form-control form-control-sm", value: value === undefined || value === null ? "" : String(value),
                     "data-k": k, oninput: function () { change(input.value, 500); }};
        input = kind === "textarea" ? el("textarea", Object.assign({rows: 2}, attrs)) : el("input", Object.assign({type: "text"}, attrs));
        return B.prop(title, input, key, k);
    }
  }

  /* A number stored in small units shown in large ones: 单个文件大小上限 in MB, kept in bytes. */
  function scaledNumber(title, key, schema, value, change, k) {
    var factor = schema["x-scale"][0], unit = schema["x-scale"][1];
    var shown = value === undefined || value === null || value === "" ? "" : Math.round(value / factor * 100) / 100;
    var input = el("input", {type: "number", class: "form-control form-control-sm", value: shown, min: 0.01, step: "any",
                             "data-k": k, oninput: function () {
                               var v = Number(input.value);
                               change(input.value === "" || !(v > 0) ? "" : Math.max(1, Math.round(v * factor)), 500);
                             }});
    return B.prop(title + "（" + unit + "）", input, key, k);
  }

  /* 允许的文件类型 as choices (PDF / Word / Excel / 图片); extensions set elsewhere are kept. */
  function fileKinds(title, key, value, change, k) {
    var kinds = B.data.file_kinds, current = value || [];
    var known = [].concat.apply([], kinds.map(function (kd) { return kd[1]; }));
    var others = current.filter(function (x) { return known.indexOf(x.toLowerCase()) < 0; });
    var picked = kinds.filter(function (kd) { return kd[1].some(function (x) { return current.indexOf(x) >= 0; }); })
      .map(function (kd) { return kd[0]; });
    var box = B.checks(title, kinds.map(function (kd) { return [kd[0], kd[0]]; }), picked, function (names) {
      var exts = [];
      kinds.forEach(function (kd) { if (names.indexOf(kd[0]) >= 0) exts = exts.concat(kd[1]); });
      change(exts.concat(others), 0);
    }, k);
    box.setAttribute("data-err", key);
    box.appendChild(el("div", {class: "small text-muted", text: others.length ? "另允许：" + others.join(" ")
      : picked.length ? "" : "不限类型"}));
    return box;
  }

  B.columnEditor = function (sel, f, k) {
    var box = el("div", {class: "bz-prop", "data-err": "columns"}, [el("div", {class: "bz-prop-title", text: "列"})]);
    var list = el("ol", {class: "bz-cols"});
    var types = Object.keys(B.types).filter(function (t) { return B.types[t].in_rows; })
      .map(function (t) { return [t, B.types[t].label]; });
    (f.columns || []).forEach(function (c, ci) {
      var csel = {index: sel.index, column: ci}, ck = k + "-" + ci, name = c.label || c.name;
      var label = el("input", {type: "text", class: "form-control form-control-sm", value: c.label || "",
                               "aria-label": "第" + (ci + 1) + "列的标题", "data-k": ck + "-label",
                               oninput: function () { B.change(B.setKey(csel, "label", label.value), {coalesce: ck + "-label", delay: 500}); }});
      var type = B.select(types, c.type, {"aria-label": "第" + (ci + 1) + "列的类型", "data-k": ck + "-type",
                                          onchange: function () { B.change(B.setType(csel, type.value)); }});
      var req = el("input", {type: "checkbox", checked: !!c.required, "data-k": ck + "-req",
                             onchange: function () { B.change(B.setKey(csel, "required", req.checked)); }});
      list.appendChild(el("li", {class: "bz-col", "data-err": "column-" + ci}, [label, type, el("div", {class: "bz-col-tools"}, [
        el("label", {class: "bz-check"}, [req, " 必填"]),
        el("button", {type: "button", class: "bz-mini", "aria-label": "上移列“" + name + "”", text: "↑", disabled: ci === 0,
                      onclick: function () { B.change(B.moveOp(sel.index, ci, -1)); }}),
        el("button", {type: "button", class: "bz-mini", "aria-label": "下移列“" + name + "”", text: "↓",
                      disabled: ci === f.columns.length - 1, onclick: function () { B.change(B.moveOp(sel.index, ci, 1)); }}),
        el("button", {type: "button", class: "bz-mini bz-danger", "aria-label": "删除列“" + name + "”", text: "✕",
                      disabled: f.columns.length === 1, onclick: function () { B.change(B.removeOp(sel.index, ci)); }}),
        el("button", {type: "button", class: "btn btn-link btn-sm p-0", text: "更多属性",
                      onclick: function () { B.selectField(sel.index, ci); }})])]));
    });
    box.appendChild(list);
    box.appendChild(el("button", {type: "button", class: "btn btn-sm btn-outline-primary", id: "bz-add-column", text: "＋ 添加列",
                                  onclick: function () { B.change(B.addColumnOp(sel.index)); }}));
    return box;
  };

  B.setType = function (sel, type) {
    var s = {index: sel.index, column: sel.column};
    return function (d) {
      var f = B.fieldAt(d, s), keys = B.types[type].keys;
      if (!f) return;
      Object.keys(f).forEach(function (key) { if (!(key in keys)) delete f[key]; });
      f.type = type;
      B.fillRequired(f, B.types[type]);
    };
  };

  B.fillRequired = function (f, info) {
    (info.required_keys || []).forEach(function (key) {
      if (f[key] !== undefined) return;
      var schema = info.keys[key] || {};
      if (key === "columns") f.columns = [{name: "", label: "名称", type: "text"}, {name: "", label: "数量", type: "number"}];
      else if (schema.type === "array") f[key] = ["选项1", "选项2"];
      else if (schema.type === "integer" || schema.type === "number") f[key] = schema.minimum || 1;
      else if (schema.type === "boolean") f[key] = true;
      else f[key] = schema.enum ? schema.enum[0] : "";
    });
    return f;
  };

  B.renderProps = function () {
    var box = document.getElementById("bz-props"), st = B.st, sel = st.sel;
    box.textContent = "";
    var f = sel ? B.fieldAt(st.local, sel) : null;
    if (!f) {
      box.appendChild(el("h5", {text: "字段属性"}));
      box.appendChild(el("p", {class: "small text-muted", text: "点击画布上的字段，在这里设置它的属性。"}));
      return;
    }
    var info = B.types[f.type] || {label: f.type, keys: {}}, isColumn = sel.column !== null && sel.column !== undefined;
    var base = "p" + sel.index + (isColumn ? "-" + sel.column : "");
    var head = el("h5", {}, [el("span", {class: "bz-icon", "aria-hidden": "true", text: info.icon || ""}), " ",
                             isColumn ? "列：" + (f.label || f.name) : (f.label || info.label)]);
    box.appendChild(head);
    if (isColumn) {
      var parent = st.local.form.fields[sel.index];
      box.appendChild(el("button", {type: "button", class: "btn btn-link btn-sm p-0 mb-2",
                                    text: "← 返回“" + (parent.label || parent.name) + "”",
                                    onclick: function () { B.selectField(sel.index, null); }}));
    }
    var types = Object.keys(B.types).filter(function (t) { return !isColumn || B.types[t].in_rows; })
      .map(function (t) { return [t, B.types[t].label]; });
    var typeSelect = B.select(types, f.type, {"data-k": base + "-type",
                                              onchange: function () { B.change(B.setType(sel, typeSelect.value)); }});
    box.appendChild(B.prop("字段类型", typeSelect, "type", base + "-type"));
    var advanced = el("details", {class: "bz-advanced", "data-k": base + "-advanced"}, [el("summary", {text: "高级"})]);
    (info.order || Object.keys(info.keys)).forEach(function (key) {
      if (SKIP.indexOf(key) >= 0) return;
      if (isColumn && (key === "visible_when" || key === "required_when" || key === "columns")) return;
      if (key === "required_when" && f.required && !f.required_when) return;   // 必填 already: always required
      var node = control(sel, f, key, info.keys[key], base + "-" + key);
      (info.keys[key]["x-advanced"] ? advanced : box).appendChild(node);
    });
    var nameInput = el("input", {type: "text", class: "form-control form-control-sm", value: f.name || "", "data-k": base + "-name",
                                 onchange: function () { B.change(B.renameOp(sel, nameInput.value.trim())); }});
    advanced.appendChild(B.prop((info.keys.name || {}).title || "字段标识", nameInput, "name", base + "-name"));
    advanced.appendChild(el("div", {class: "small text-muted", text: "标识由标题自动生成，发布后保持不变；供 IT 与数据导出使用。"}));
    box.appendChild(advanced);
  };
  /* Two fields (or two columns of one 明细表) with one label: both marked, nothing saved. */
  B.labelProblems = function (d) {
    var out = [];
    function check(items, index) {
      var seen = {};
      items.forEach(function (f, i) {
        var label = String(f.label || "").trim();
        if (label && f.type !== "section") (seen[label] = seen[label] || []).push(i);
      });
      Object.keys(seen).forEach(function (label) {
        var at = seen[label];
        if (at.length < 2) return;
        at.forEach(function (i) {
          var others = at.filter(function (j) { return j !== i; }).map(function (j) { return "第 " + (j + 1) + " 个"; }).join("、");
          var target = index === null ? {kind: "field", index: i, key: "label"} : {kind: "field", index: index, column: i, key: "label"};
          out.push({target: target, message: "标题“" + label + "”与" + others + (index === null ? "字段" : "列") + "相同，请改成不同的标题"});
        });
      });
    }
    check(d.form.fields, null);
    d.form.fields.forEach(function (f, i) { if (f.columns) check(f.columns, i); });
    return out;
  };

  /* A new field's label: the type's name, numbered when the form already has it (附件2). */
  B.freshLabel = function (d, label) {
    var taken = d.form.fields.map(function (f) { return f.label; }), n = 2, out = label;
    while (taken.indexOf(out) >= 0) out = label + n++;
    return out;
  };
})();
