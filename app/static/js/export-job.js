/* The bulk export job page polls its state until the file is ready (or the job failed). */
(function () {
  var box = document.querySelector(".export-job");
  if (!box) return;
  function show(s) {
    box.querySelector(".job-status").textContent = s.status_label;
    box.querySelector(".job-count").textContent = s.progress + " / " + s.total;
    var bar = box.querySelector(".job-progress");
    bar.max = s.total || 1; bar.value = s.progress;
    var err = box.querySelector(".job-error");
    err.textContent = s.error; err.hidden = !s.error;
    box.querySelector(".job-download").hidden = s.status !== "done";
    return s.status === "queued" || s.status === "running";
  }
  function poll() {
    fetch(box.dataset.stateUrl, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (show(s)) { setTimeout(poll, 1000); } })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (box.dataset.polling === "1") setTimeout(poll, 500);
})();
