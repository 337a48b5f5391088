/* The designer's small helpers: a line-numbered source editor and confirm buttons. Plain JS, no libraries. */
(function () {
  "use strict";

  function lineCount(text) { return text.split("\n").length; }

  function setupEditor(box) {
    var area = box.querySelector("textarea.dz-code");
    var gutter = box.querySelector(".dz-gutter");
    if (!area || !gutter) return;
    var bad = [];
    try { bad = JSON.parse(box.getAttribute("data-error-lines") || "[]"); } catch (e) { bad = []; }
    function draw() {
      var n = lineCount(area.value), frag = document.createDocumentFragment();
      for (var i = 1; i <= n; i++) {
        var s = document.createElement("span");
        s.textContent = String(i);
        if (bad.indexOf(i) >= 0) { s.className = "dz-err"; s.title = "此行有错误"; }
        frag.appendChild(s);
      }
      gutter.textContent = "";
      gutter.appendChild(frag);
      gutter.scrollTop = area.scrollTop;
    }
    area.addEventListener("input", draw);
    area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
    area.addEventListener("keydown", function (ev) {
      if (ev.key === "Tab" && !area.readOnly) {
        ev.preventDefault();
        var start = area.selectionStart;
        area.setRangeText("  ", start, area.selectionEnd, "end");
        draw();
      }
    });
    draw();
    return area;
  }

  function goToLine(area, line, col) {
    var lines = area.value.split("\n"), pos = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.max(0, (col || 1) - 1);
    area.focus();
    area.setSelectionRange(pos, pos);
    var lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 19;
    area.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var editors = [];
    document.querySelectorAll(".dz-editor").forEach(function (box) { editors.push(setupEditor(box)); });
    document.querySelectorAll(".dz-problems a[data-line]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        if (editors[0]) goToLine(editors[0], +a.getAttribute("data-line"), +a.getAttribute("data-col"));
      });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (ev) {
        if (!window.confirm(button.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });
  });

  /* What Flask-Admin's inline onclick handlers did (templates/admin/…: the CSP allows no
     inline handlers): "Add filter" items and dropdown toggles are links to "#", and a bulk
     action item runs its action. */
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest('a[href="#"]');
    if (!link) return;
    ev.preventDefault();
    var action = link.getAttribute("data-model-action");
    if (action && window.modelActions) window.modelActions.execute(action);
  });
})();
