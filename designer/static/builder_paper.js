/* 从纸质表单导入: marks every guess still 待确认 on the builder's canvas and steps, lists
   them beside the original with 确认 buttons. The server decides what is pending (a guess
   the admin changed is no longer pending), so after each redraw of the canvas or the steps
   the list is asked for again. */
(function () {
  "use strict";
  var holder = document.getElementById("pz-data");
  if (!holder) return;
  var url = JSON.parse(holder.textContent).url;
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content;
  var pending = [], timer = null;

  function mark(host, text) {
    if (!host || host.querySelector(":scope > .pz-mark")) return;
    var badge = document.createElement("span");
    badge.className = "badge pz-mark";
    badge.textContent = "待确认";
    badge.title = text;
    host.appendChild(badge);
  }

  function decorate() {
    document.querySelectorAll(".pz-mark").forEach(function (m) { m.remove(); });
    document.querySelectorAll(".pz-pending").forEach(function (m) { m.classList.remove("pz-pending"); });
    pending.forEach(function (g) {
      if (g.field) {
        var item = document.querySelector('#bz-canvas .bz-item[data-name="' + CSS.escape(g.field) + '"]');
        if (item) { item.classList.add("pz-pending"); mark(item.querySelector(".bz-badges"), g.text); }
      } else if (typeof g.step === "number") {
        mark(document.querySelector('#bz-steps .bz-step[data-step="' + g.step + '"] .bz-step-head'), g.text);
      } else if (g.kind === "name") {
        mark(document.querySelector(".bz-meta-name"), g.text);
      }
    });
    var list = document.getElementById("pz-list");
    list.textContent = "";
    pending.forEach(function (g) {
      var li = document.createElement("li"), span = document.createElement("span"), ok = document.createElement("button");
      span.textContent = g.text;
      ok.type = "button"; ok.className = "btn btn-outline-success"; ok.textContent = "确认";
      ok.setAttribute("aria-label", "确认：" + g.text);
      ok.addEventListener("click", function () { load([g.target]); });
      li.appendChild(span); li.appendChild(ok); list.appendChild(li);
    });
    document.getElementById("pz-count").textContent = pending.length ? pending.length + " 项待确认" : "";
    document.getElementById("pz-accept-all").hidden = !pending.length;
    document.getElementById("pz-done").hidden = !!pending.length;
  }

  function load(accept) {
    var options = {credentials: "same-origin", headers: {Accept: "application/json"}};
    if (accept !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
      options.body = JSON.stringify({targets: accept});
    }
    return fetch(url, options).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (body) { pending = body.pending; decorate(); }
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  }

  document.getElementById("pz-accept-all").addEventListener("click", function () { load(null); });
  ["bz-canvas", "bz-steps"].forEach(function (id) {
    var box = document.getElementById(id);
    if (box) new MutationObserver(later).observe(box, {childList: true});
  });
  load();
})();
