/* 设计器 shared helpers: the namespace, DOM building, the search picker (conditions:
   builder_conditions.js). Loaded first; builder_props.js, builder_steps.js, builder_canvas.js and builder.js
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
