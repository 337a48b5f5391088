/* 设计器: the palette and the canvas — the applicant's form as rendered by the server, each
   field an item to select, relabel in place, reorder (drag, buttons, Alt+↑/↓) or delete;
   a rows field's columns are relabelled in its header and added with its ＋ 添加列. */
(function () {
  "use strict";
  var B = window.OneHallBuilder, el = B.el;

  /* ---------------------------------------------------------------- ops on fields */

  B.addFieldOp = function (type, at) {
    return function (d) {
      var info = B.types[type];
      var f = B.fillRequired({name: "", type: type, label: B.freshLabel(d, info.label)}, info);
      var index = at === undefined || at === null ? d.form.fields.length : Math.min(at, d.form.fields.length);
      d.form.fields.splice(index, 0, f);
    };
  };

  function holder(d, index, column) {
    return column === null || column === undefined ? d.form.fields : d.form.fields[index].columns;
  }

  B.moveOp = function (index, column, delta) {
    return function (d) {
      var list = holder(d, index, column), from = column === null || column === undefined ? index : column;
      var to = from + delta;
      if (!list || to < 0 || to >= list.length) return;
      list.splice(to, 0, list.splice(from, 1)[0]);
    };
  };

  B.moveToOp = function (from, to) {
    return function (d) {
      var list = d.form.fields, item = list.splice(from, 1)[0];
      list.splice(to > from ? to - 1 : to, 0, item);
    };
  };

  B.removeOp = function (index, column) {
    return function (d) {
      var list = holder(d, index, column);
      if (list) list.splice(column === null || column === undefined ? index : column, 1);
    };
  };

  B.addColumnOp = function (index) {
    return function (d) {
      var f = d.form.fields[index], cols = f.columns = f.columns || [];
      cols.push({name: "", label: "列" + (cols.length + 1), type: "text"});
    };
  };

  B.renameOp = function (sel, name) {
    var s = {index: sel.index, column: sel.column};
    return function (d) {
      var f = B.fieldAt(d, s), old = f && f.name;
      if (!f || !name || name === old) return;
      f.name = name;
      if (s.column !== null && s.column !== undefined) return;
      var re = new RegExp("\\bform\\." + old + "\\b", "g"), swap = function (n) { return n === old ? name : n; };
      d.form.fields.forEach(function (x) {
        ["visible_when", "required_when"].forEach(function (k) { if (x[k]) x[k] = x[k].replace(re, "form." + name); });
      });
      d.steps.forEach(function (st) {
        if (st.when) st.when = st.when.replace(re, "form." + name);
        ["edit", "hidden"].forEach(function (k) { if (st[k]) st[k] = st[k].map(swap); });
        [st.by].concat(st.cc || []).forEach(function (spec) { if (spec && spec.field === old) spec.field = name; });
      });
    };
  };

  /* ---------------------------------------------------------------- selection */

  B.selectField = function (index, column) {
    B.st.sel = index === null ? null : {index: index, column: column === undefined ? null : column};
    markSelected();
    B.renderProps();
  };

  function markSelected() {
    var sel = B.st.sel;
    document.querySelectorAll("#bz-canvas .bz-item").forEach(function (item) {
      item.classList.toggle("bz-selected", !!sel && Number(item.dataset.index) === sel.index);
    });
  }

  /* ---------------------------------------------------------------- canvas */

  function editable(node, onText, label) {
    node.classList.add("bz-editable");
    node.setAttribute("contenteditable", "true");
    node.setAttribute("role", "textbox");
    node.setAttribute("aria-label", label);
    node.setAttribute("spellcheck", "false");
    node.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); node.blur(); }
      ev.stopPropagation();
    });
    node.addEventListener("input", function () { onText(node.textContent.replace(/\s+/g, " ").trim()); });
    node.addEventListener("click", function (ev) { ev.preventDefault(); });
    node.addEventListener("blur", function () {
      setTimeout(function () { if (!document.activeElement || !document.activeElement.isContentEditable) B.setCanvas(B.st.canvasHtml); }, 0);
    });
  }

  /* The element holding a label's text: its leading text node (wrapped in a span), or a
     leading span of plain text (the renderer marks column titles that way). */
  function wrapText(parent) {
    var first = parent.firstChild;
    while (first && first.nodeType === 3 && !first.textContent.trim()) first = first.nextSibling;
    if (!first) return null;
    if (first.nodeType === 1 && first.tagName === "SPAN" && !first.children.length && !first.classList.contains("oh-required")) return first;
    if (first.nodeType !== 3) return null;
    var span = el("span", {text: first.textContent});
    parent.replaceChild(span, first);
    return span;
  }

  function prepareItem(item) {
    var index = Number(item.dataset.index), f = B.st.local.form.fields[index];
    item.querySelectorAll("input, select, textarea, .oh-btn").forEach(function (n) { n.setAttribute("tabindex", "-1"); });
    var label = item.querySelector(".oh-label, .oh-section-title, .oh-agree > span");
    if (label) {
      label.removeAttribute("for");
      var span = wrapText(label);
      if (span) editable(span, function (text) {
        if (text) B.change(B.setKey({index: index, column: null}, "label", text), {coalesce: "p" + index + "-label", delay: 600, keepCanvas: true});
      }, "字段标题");
    }
    item.querySelectorAll(".oh-rows-table thead th").forEach(function (th, i) {
      if (i === 0 || th.classList.contains("oh-row-actions")) return;
      var column = i - 1, span = wrapText(th);
      if (span) editable(span, function (text) {
        if (text) B.change(B.setKey({index: index, column: column}, "label", text), {coalesce: "p" + index + "-" + column + "-label", delay: 600, keepCanvas: true});
      }, "第" + i + "列的标题");
    });
    item.addEventListener("click", function (ev) {
      var act = ev.target.closest("[data-act]");
      if (act) { itemAction(act.dataset.act, index); return; }
      if (!B.st.sel || B.st.sel.index !== index || B.st.sel.column !== null) B.selectField(index, null);
    });
    item.addEventListener("keydown", function (ev) {
      if (ev.target !== item) return;
      if (ev.altKey && (ev.key === "ArrowUp" || ev.key === "ArrowDown")) {
        ev.preventDefault();
        var delta = ev.key === "ArrowUp" ? -1 : 1, to = index + delta;
        if (to < 0 || to >= B.st.local.form.fields.length) return;
        B.st.focusIndex = to;
        B.st.sel = {index: to, column: null};
        B.change(B.moveOp(index, null, delta));
      } else if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        B.selectField(index, null);
        var edit = item.querySelector(".bz-editable");
        if (edit) edit.focus();
      }
    });
    item.addEventListener("dragstart", function (ev) {
      if (ev.target !== item) return;
      ev.dataTransfer.setData("text/plain", "move:" + index);
      ev.dataTransfer.effectAllowed = "move";
    });
    if (f && f.type === "rows") item.dataset.rows = "1";
  }

  function itemAction(act, index) {
    var fields = B.st.local.form.fields;
    if (act === "up" || act === "down") {
      var delta = act === "up" ? -1 : 1;
      B.st.sel = {index: index + delta, column: null};
      B.change(B.moveOp(index, null, delta));
    } else if (act === "delete") {
      B.st.sel = null;
      B.change(B.removeOp(index, null));
      B.status("已删除“" + (fields[index].label || fields[index].name) + "”，可撤销");
    } else if (act === "add-column") {
      B.change(B.addColumnOp(index));
    }
  }

  /* Replace the canvas with the server's rendering; an item whose label is being typed in
     keeps its node so the caret stays. */
  B.setCanvas = function (html) {
    var canvas = document.getElementById("bz-canvas"), active = document.activeElement;
    var editing = active && active.classList && active.classList.contains("bz-editable") && canvas.contains(active)
      ? active.closest(".bz-item") : null;
    var tmp = document.createElement("div");
    tmp.innerHTML = html;
    var items = Array.prototype.slice.call(tmp.children);
    items.forEach(prepareItem);
    canvas.textContent = "";
    items.forEach(function (item) {
      if (editing && item.dataset.index === editing.dataset.index) canvas.appendChild(editing);
      else canvas.appendChild(item);
    });
    document.getElementById("bz-empty").hidden = B.st.local.form.fields.length > 0;
    markSelected();
    if (B.st.focusIndex !== undefined && B.st.focusIndex !== null) {
      var target = canvas.querySelector('.bz-item[data-index="' + B.st.focusIndex + '"]');
      if (target) target.focus();
      B.st.focusIndex = null;
    }
    if (B.st.focusLabel !== undefined && B.st.focusLabel !== null) {
      var label = canvas.querySelector('.bz-item[data-index="' + B.st.focusLabel + '"] .bz-editable');
      if (label) { label.focus(); document.getSelection().selectAllChildren(label); }
      B.st.focusLabel = null;
    }
  };

  /* Labels typed elsewhere (the property panel) show on the canvas before the next
     rendering arrives, and an unsaved change stays visible after a refused save. */
  B.patchCanvas = function () {
    var fields = B.st.local.form.fields;
    function put(span, text) {
      if (span && text && span !== document.activeElement && span.textContent !== text) span.textContent = text;
    }
    document.querySelectorAll("#bz-canvas .bz-item").forEach(function (item) {
      var f = fields[Number(item.dataset.index)];
      if (!f || (f.name && item.dataset.name !== f.name)) return;
      put(item.querySelector(".oh-label .bz-editable, .oh-section-title .bz-editable, .oh-agree .bz-editable"), f.label);
      item.querySelectorAll("thead .bz-editable").forEach(function (span, i) {
        put(span, ((f.columns || [])[i] || {}).label);
      });
    });
  };

  /* ---------------------------------------------------------------- palette and dropping */

  B.addField = function (type, at) {
    var index = at === undefined || at === null ? B.st.local.form.fields.length : at;
    B.st.sel = {index: index, column: null};
    B.st.focusLabel = index;
    B.change(B.addFieldOp(type, index));
    var palette = document.querySelector(".bz-palette");
    palette.classList.remove("bz-open");
    document.getElementById("bz-palette-toggle").setAttribute("aria-expanded", "false");
  };

  function dropIndex(canvas, y) {
    var items = canvas.querySelectorAll(".bz-item");
    for (var i = 0; i < items.length; i++) {
      var r = items[i].getBoundingClientRect();
      if (y < r.top + r.height / 2) return i;
    }
    return items.length;
  }

  B.initCanvas = function () {
    var canvas = document.getElementById("bz-canvas"), paper = canvas.closest(".bz-paper"), line = el("div", {class: "bz-drop-line"});
    document.querySelectorAll(".bz-pal-item").forEach(function (button) {
      button.addEventListener("click", function () { B.addField(button.dataset.type); });
      button.addEventListener("dragstart", function (ev) {
        ev.dataTransfer.setData("text/plain", "new:" + button.dataset.type);
        ev.dataTransfer.effectAllowed = "copy";
      });
    });
    paper.addEventListener("dragover", function (ev) {
      ev.preventDefault();
      var at = dropIndex(canvas, ev.clientY), items = canvas.querySelectorAll(".bz-item");
      if (at < items.length) canvas.insertBefore(line, items[at]); else canvas.appendChild(line);
    });
    paper.addEventListener("dragleave", function (ev) { if (!paper.contains(ev.relatedTarget)) line.remove(); });
    paper.addEventListener("drop", function (ev) {
      ev.preventDefault();
      line.remove();
      var data = ev.dataTransfer.getData("text/plain") || "", at = dropIndex(canvas, ev.clientY);
      if (data.indexOf("new:") === 0 && B.types[data.slice(4)]) B.addField(data.slice(4), at);
      else if (data.indexOf("move:") === 0) {
        var from = Number(data.slice(5));
        if (at === from || at === from + 1) return;
        B.st.sel = {index: at > from ? at - 1 : at, column: null};
        B.change(B.moveToOp(from, at));
      }
    });
    var toggle = document.getElementById("bz-palette-toggle");
    toggle.addEventListener("click", function () {
      var open = toggle.closest(".bz-palette").classList.toggle("bz-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.getElementById("bz-first").addEventListener("click", function () {
      var palette = document.querySelector(".bz-palette");
      if (getComputedStyle(toggle).display !== "none") { palette.classList.add("bz-open"); toggle.setAttribute("aria-expanded", "true"); }
      var first = palette.querySelector(".bz-pal-item");
      if (first) first.focus();
    });
  };
})();
