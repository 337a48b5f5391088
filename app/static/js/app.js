/* OneHall page behaviour shared by every page (loaded with defer; no inline scripts):
 * - the phone menu button of the top bar;
 * - confirmation of destructive or final actions in a <dialog> (buttons with data-confirm);
 * - focus on the error summary of a refused form. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  /* ---------- the top bar's menu button (phones) ---------- */
  function initMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var bar = toggle && toggle.closest(".topbar");
    if (!bar) return;
    function set(open) {
      bar.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function () { set(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && bar.classList.contains("open")) { set(false); toggle.focus(); }
    });
  }

  /* ---------- confirmation dialog ---------- */
  function initConfirm() {
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") return;
    var message = dialog.querySelector("[data-dialog-message]");
    var ok = dialog.querySelector("[data-dialog-ok]");
    var cancel = dialog.querySelector("[data-dialog-cancel]");
    var pending = null;

    document.addEventListener("click", function (ev) {
      var button = ev.target.closest && ev.target.closest("button[data-confirm]");
      if (!button || !button.form || button.disabled) return;
      ev.preventDefault();
      pending = button;
      var counted = button.getAttribute("data-confirm-count");
      message.textContent = counted
        ? button.getAttribute("data-confirm-counted").replace("{n}", document.querySelectorAll(counted).length)
        : button.getAttribute("data-confirm");
      ok.textContent = button.textContent.trim();
      ok.classList.toggle("danger", button.classList.contains("danger"));
      dialog.returnValue = "";
      dialog.showModal();
      cancel.focus();
    });
    cancel.addEventListener("click", function () { dialog.close("cancel"); });
    ok.addEventListener("click", function () { dialog.close("ok"); });
    dialog.addEventListener("close", function () {
      // The close event comes in a later task: after Escape, a quick keyboard user may have
      // opened the dialog again before it arrives. That stale event must neither focus the
      // page behind the open dialog nor forget the action now waiting for an answer.
      if (dialog.open) return;
      var button = pending;
      pending = null;
      if (!button) return;
      if (dialog.returnValue === "ok") {
        if (typeof button.form.requestSubmit === "function") button.form.requestSubmit(button);
        else { button.removeAttribute("data-confirm"); button.click(); }
      } else {
        button.focus();
      }
      dialog.returnValue = "";
    });
  }

  /* ---------- a refused form: the summary of its errors takes the focus ---------- */
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    initMenu();
    initConfirm();
    focusErrors();
  });
})();
