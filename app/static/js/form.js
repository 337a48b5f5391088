/* OneHall forms: repeating rows, add/remove lists, the live character counter, upload
 * sizes, and live visible_when / required_when (the conditions themselves are parsed and
 * evaluated by conditions.js, which the page loads first). No framework, no eval. */
(function () {
  "use strict";

  var C = window.OneHallConditions;
  var condition = C.condition, evaluate = C.evaluate, truthy = C.truthy, toNumber = C.toNumber;

  /* ---------- reading the form's values ---------- */

  function fieldValue(box) {
    var type = box.getAttribute("data-type");
    var inputs = box.querySelectorAll("input, select, textarea");
    var checked = [], i, el;
    if (type === "checkboxes" || type === "radio") {
      for (i = 0; i < inputs.length; i++) if (inputs[i].checked) checked.push(inputs[i].value);
      if (type === "radio") return checked.length ? checked[0] : null;
      return checked.length ? checked : null;
    }
    if (type === "agree" || type === "boolean") return !!(inputs[0] && inputs[0].checked);
    if (type === "choice" || type === "multichoice") {   /* JSON Schema options: values are JSON */
      for (i = 0; i < inputs.length; i++) {
        el = inputs[i];
        if (el.tagName === "SELECT" ? el.value !== "" : el.checked) checked.push(jsonValue(el.value));
      }
      if (type === "choice") return checked.length ? checked[0] : null;
      return checked.length ? checked : null;
    }
    if (type === "list") {
      for (i = 0; i < inputs.length; i++) if (String(inputs[i].value).trim() !== "") checked.push(inputs[i].value.trim());
      return checked.length ? checked : null;
    }
    if (type === "group" || type === "tuple") return box.querySelector("input, select, textarea") ? {} : null;
    if (type === "file") {
      for (i = 0; i < inputs.length; i++) {
        el = inputs[i];
        if (el.type === "hidden" && el.value) checked.push(el.value);
        if (el.type === "file" && el.files) for (var f = 0; f < el.files.length; f++) checked.push(el.files[f].name);
      }
      return checked.length ? checked : null;
    }
    if (type === "rows") return box.querySelectorAll("tbody tr").length || null;
    el = inputs[0];
    var raw = el ? String(el.value).trim() : "";
    if (raw === "") return null;
    if (type === "number" || type === "money" || type === "integer") { var n = toNumber(raw.replace(/,/g, "")); return n === null ? raw : n; }
    return raw;
  }

  function jsonValue(raw) {
    try { return JSON.parse(raw); } catch (e) { return raw; }
  }

  function formValues(root) {
    var values = {}, boxes = root.querySelectorAll("[data-field]");
    for (var i = 0; i < boxes.length; i++) {
      var v = fieldValue(boxes[i]);
      if (v !== null) values[boxes[i].getAttribute("data-field")] = v;
    }
    return values;
  }

  function applicantOf(root) {
    try { return JSON.parse(root.getAttribute("data-applicant") || "{}") || {}; } catch (e) { return {}; }
  }

  function refreshVisibility(root) {
    var ctx = { form: formValues(root), applicant: applicantOf(root) };
    var boxes = root.querySelectorAll("[data-visible-when]");
    for (var i = 0; i < boxes.length; i++) {
      var tree = condition(boxes[i].getAttribute("data-visible-when"));
      var visible = false;
      try { visible = tree !== null && truthy(evaluate(tree, ctx)); } catch (e) { visible = false; }
      boxes[i].hidden = !visible;
    }
    /* inside a group, a branch's field is judged on the group's own values (form = the object) */
    var nested = root.querySelectorAll("[data-shown-when]");
    for (var j = 0; j < nested.length; j++) {
      var group = nested[j].parentNode, values = {}, shown = false;
      var siblings = group.querySelectorAll(":scope > [data-subfield]");
      for (var k = 0; k < siblings.length; k++) {
        var v = fieldValue(siblings[k]);
        if (v !== null) values[siblings[k].getAttribute("data-subfield")] = v;
      }
      var test = condition(nested[j].getAttribute("data-shown-when"));
      try { shown = test !== null && truthy(evaluate(test, { form: values, applicant: ctx.applicant })); } catch (e) { shown = false; }
      nested[j].hidden = !shown;
      nested[j].querySelectorAll("input, select, textarea").forEach(function (el) {   /* hidden: not sent, not checked */
        if (!shown && !el.disabled) { el.disabled = true; el.setAttribute("data-shown-off", ""); }
        else if (shown && el.hasAttribute("data-shown-off")) { el.disabled = false; el.removeAttribute("data-shown-off"); }
      });
    }
    refreshRequired(root, ctx);
  }

  /* required_when: the mark, ``required`` and aria-required follow the condition. */
  function refreshRequired(root, ctx) {
    var boxes = root.querySelectorAll("[data-required-when]");
    for (var i = 0; i < boxes.length; i++) {
      var tree = condition(boxes[i].getAttribute("data-required-when"));
      var on = false;
      try { on = tree !== null && truthy(evaluate(tree, ctx)); } catch (e) { on = false; }
      boxes[i].classList.toggle("oh-required-now", on);
      boxes[i].querySelectorAll("[data-required-mark]").forEach(function (mark) { mark.hidden = !on; });
      var controls = boxes[i].querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea, select");
      controls.forEach(function (c) {
        if (c.disabled || c.readOnly) return;
        c.required = on && !boxes[i].hidden;
        if (on) c.setAttribute("aria-required", "true"); else c.removeAttribute("aria-required");
      });
      var group = boxes[i].querySelector("[role=radiogroup], [role=group]");
      if (group) { if (on) group.setAttribute("aria-required", "true"); else group.removeAttribute("aria-required"); }
    }
  }

  /* ---------- repeating rows ---------- */

  function renumber(table) {
    var name = table.getAttribute("data-rows");
    var re = new RegExp("^" + name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "-\\d+-");
    var rows = table.querySelectorAll("tbody > tr");
    for (var i = 0; i < rows.length; i++) {
      var prefix = name + "-" + i + "-";
      var els = rows[i].querySelectorAll("[name], [id], label[for], [aria-labelledby], [aria-describedby]");
      for (var j = 0; j < els.length; j++) {
        ["name", "id", "for"].forEach(function (attr) {
          var v = els[j].getAttribute(attr);
          if (v && re.test(v)) els[j].setAttribute(attr, v.replace(re, prefix));
        });
        ["aria-labelledby", "aria-describedby"].forEach(function (attr) {
          var v = els[j].getAttribute(attr);
          if (v) els[j].setAttribute(attr, v.split(/\s+/).map(function (id) { return re.test(id) ? id.replace(re, prefix) : id; }).join(" "));
        });
      }
      var no = rows[i].querySelector(".oh-row-n");
      if (no) no.textContent = String(i + 1);
      var label = rows[i].querySelector(".oh-row-label");
      if (label) label.textContent = (label.getAttribute("data-template") || "#").replace("#", String(i + 1));
    }
    updateRowButtons(table);
  }

  function updateRowButtons(table) {
    var count = table.querySelectorAll("tbody > tr").length;
    var min = parseInt(table.getAttribute("data-min") || "1", 10);
    var max = parseInt(table.getAttribute("data-max") || "0", 10);
    var box = table.closest(".oh-rows") || table;
    box.querySelectorAll("[data-row-action=delete]").forEach(function (b) { b.disabled = count <= Math.max(min, 1); });
    box.querySelectorAll("[data-row-action=add], [data-row-action=append]").forEach(function (b) { b.disabled = max > 0 && count >= max; });
  }

  function blankCopy(row) {
    var copy = row.cloneNode(true);
    copy.querySelectorAll("input, textarea, select").forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = false; el.defaultChecked = false; }
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else if (el.type === "hidden" && el.hasAttribute("data-token")) el.parentNode.removeChild(el);
      else if (el.type === "file") el.value = "";
      else { el.value = ""; el.defaultValue = ""; }
    });
    copy.querySelectorAll(".oh-errors, .oh-error, .oh-attachment").forEach(function (e) { if (e.parentNode) e.parentNode.removeChild(e); });
    copy.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); e.removeAttribute("aria-describedby"); });
    copy.querySelectorAll(".oh-has-error").forEach(function (e) { e.classList.remove("oh-has-error"); });
    copy.querySelectorAll(".oh-count").forEach(function (e) { e.textContent = "0"; });
    return copy;
  }

  function rowAction(button) {
    var box = button.closest(".oh-rows"), table = box.querySelector("table[data-rows]");
    var tbody = table.tBodies[0], row = button.closest("tr.oh-row"), action = button.getAttribute("data-row-action");
    var rows = tbody.querySelectorAll(":scope > tr");
    if (action === "delete" && rows.length > Math.max(parseInt(table.getAttribute("data-min") || "1", 10), 1)) tbody.removeChild(row);
    else if (action === "up" && row && row.previousElementSibling) tbody.insertBefore(row, row.previousElementSibling);
    else if ((action === "add" || action === "append") && !button.disabled && rows.length) {
      var copy = blankCopy(rows[0]);
      if (action === "add" && row) tbody.insertBefore(copy, row.nextSibling); else tbody.appendChild(copy);
    }
    renumber(table);
  }

  /* ---------- add/remove lists (arrays of strings or numbers) ---------- */

  function listAction(button) {
    var box = button.closest(".oh-list"), name = box.getAttribute("data-list");
    var items = box.querySelectorAll(":scope > .oh-list-item");
    if (button.getAttribute("data-list-action") === "remove") {
      var item = button.closest(".oh-list-item");
      if (items.length > 1) box.removeChild(item);
      else item.querySelector("input").value = "";
    } else {
      var copy = items[items.length - 1].cloneNode(true), input = copy.querySelector("input");
      var next = 0;
      items.forEach(function (it) {
        var m = /-(\d+)$/.exec(it.querySelector("input").name);
        if (m) next = Math.max(next, parseInt(m[1], 10) + 1);
      });
      input.name = name + "-" + next;
      input.id = input.id.replace(/-\d+$/, "-" + next);
      input.value = ""; input.defaultValue = "";
      input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/\d+/, String(items.length + 1)));
      box.insertBefore(copy, button);
      input.focus();
    }
  }

  /* ---------- oneOf of objects: the chosen alternative's fields only ---------- */

  function refreshAlternatives(root) {
    root.querySelectorAll(".oh-group").forEach(function (group) {
      var picked = group.querySelector(":scope > .oh-alt-switch input:checked");
      if (!picked) return;
      group.querySelectorAll(":scope > [data-alt]").forEach(function (box) {
        var on = box.getAttribute("data-alt").split(" ").indexOf(picked.value) >= 0;
        box.hidden = !on;
        box.querySelectorAll("input, select, textarea").forEach(function (el) {
          if (!on && !el.disabled) { el.disabled = true; el.setAttribute("data-alt-off", ""); }
          else if (on && el.hasAttribute("data-alt-off")) { el.disabled = false; el.removeAttribute("data-alt-off"); }
        });
      });
    });
  }

  /* ---------- the character counter ---------- */

  function updateCounter(el) {
    var box = el.closest(".oh-field, td");
    var out = box && box.querySelector(".oh-count");
    if (out) out.textContent = String(Array.from(el.value).length);
  }

  /* ---------- upload size: refused before anything is sent ---------- */

  function tooLarge(input) {
    var max = parseInt(input.getAttribute("data-max-size") || "0", 10), names = [];
    if (!max || !input.files) return names;
    for (var i = 0; i < input.files.length; i++) if (input.files[i].size > max) names.push(input.files[i].name);
    return names;
  }

  function showFileError(input, names) {
    var box = input.closest(".oh-field, td") || input.parentNode;
    var id = input.id + "-error", old = document.getElementById(id);
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (old && old.hasAttribute("data-client")) old.parentNode.removeChild(old);
    if (!names.length) {
      if (!document.getElementById(id)) { input.removeAttribute("aria-invalid"); box.classList.remove("oh-has-error"); }
      if (described.length) input.setAttribute("aria-describedby", described.join(" ")); else input.removeAttribute("aria-describedby");
      return;
    }
    var div = document.createElement("div");
    div.className = "oh-errors"; div.id = id; div.setAttribute("data-client", ""); div.setAttribute("role", "alert");
    names.forEach(function (name) {
      var p = document.createElement("p");
      p.className = "oh-error";
      p.textContent = (input.getAttribute("data-too-large") || "{name}").replace("{name}", name);
      div.appendChild(p);
    });
    if (old && !old.hasAttribute("data-client") && old.parentNode) old.parentNode.removeChild(old);
    box.appendChild(div);
    box.classList.add("oh-has-error");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", [id].concat(described).join(" "));
    input.value = "";
  }

  function checkFiles(root) {
    var bad = null;
    root.querySelectorAll("input[type=file][data-max-size]").forEach(function (input) {
      var names = tooLarge(input);
      if (names.length) { showFileError(input, names); bad = bad || input; }
    });
    return bad;
  }

  /* ---------- wiring ---------- */

  function init(root) {
    root.addEventListener("click", function (ev) {
      var b = ev.target.closest("[data-row-action]");
      if (b && root.contains(b)) { ev.preventDefault(); rowAction(b); refreshVisibility(root); return; }
      var l = ev.target.closest("[data-list-action]");
      if (l && root.contains(l)) { ev.preventDefault(); listAction(l); refreshVisibility(root); return; }
      var rm = ev.target.closest("[data-remove-attachment]");
      var item = rm && rm.closest(".oh-attachment");
      if (item && root.contains(item)) { ev.preventDefault(); item.parentNode.removeChild(item); refreshVisibility(root); }
    });
    ["input", "change"].forEach(function (type) {
      root.addEventListener(type, function (ev) {
        if (ev.target.matches && ev.target.matches("textarea[maxlength], input[maxlength]")) updateCounter(ev.target);
        if (type === "change" && ev.target.matches && ev.target.matches("input[type=file][data-max-size]")) showFileError(ev.target, tooLarge(ev.target));
        if (ev.target.matches && ev.target.matches("[data-alt-switch]")) refreshAlternatives(root);
        refreshVisibility(root);
      });
    });
    var form = root.closest("form") || root;
    form.addEventListener("submit", function (ev) {
      var bad = checkFiles(root);
      if (bad) { ev.preventDefault(); bad.focus(); }
    });
    root.querySelectorAll("table[data-rows]").forEach(updateRowButtons);
    root.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(updateCounter);
    refreshAlternatives(root);
    refreshVisibility(root);
  }

  window.OneHallForms = { parse: C.parse, evaluate: evaluate, truthy: truthy, init: init };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".oh-form").forEach(init);
  });
})();
