/* The preview's form is for looking at: it never submits (Enter in a field included). */
document.querySelectorAll("form[data-preview-only]").forEach(function (form) {
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
});
