/* The print page's 打印 button (no inline handlers: the CSP forbids them). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
