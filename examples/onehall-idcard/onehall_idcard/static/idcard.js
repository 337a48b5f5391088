// The idcard widget's script: says as one types whether the check character is right.
// Loaded once per page as an ES module with the request's CSP nonce.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

function hint(value) {
  const text = value.trim().toUpperCase();
  if (!text) return "";
  if (!/^\d{17}[\dX]$/.test(text)) return text.length < 18 ? `已输入 ${text.length}/18 位` : "格式不正确";
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(text[i]), 0);
  return CHECK[sum % 11] === text[17] ? "校验码正确" : "校验码不正确";
}

for (const box of document.querySelectorAll("[data-idcard]")) {
  const input = box.querySelector("input");
  const out = box.querySelector("[data-idcard-hint]");
  if (!input || !out) continue;
  const update = () => { out.textContent = hint(input.value); };
  input.addEventListener("input", update);
  update();
}
