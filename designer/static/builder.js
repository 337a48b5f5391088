/* 设计器: state, saving and undo. Every change is an op (a function of the definition)
   applied to the local definition and saved at once in the background (X-CSRFToken);
   撤销 / Ctrl+Z saves the previous definition. A save refused as stale (409) keeps the
   local definition on screen and offers to reload the draft and re-apply the unsaved ops;
   a refused definition (422) shows each message at the control it concerns. */
(function () {
  "use strict";
  var B = window.OneHallBuilder, el = B.el;
  var data = B.data = JSON.parse(document.getElementById("bz-data").textContent);
  B.types = {};
  data.palette.forEach(function (t) { B.types[t.name] = t; });
  var state = data.state;

  /* Definitions come back without their defaults (export_dict): put back what the editor reads. */
  B.normalize = function (d) {
    d.audience = d.audience || ["staff", "student"];
    d.form = d.form || {title: "", fields: []};
    d.form.fields = d.form.fields || [];
    d.steps = d.steps || [];
    return d;
  };
  var st = B.st = {
    draftId: state ? state.draft_id : null, revision: state ? state.revision : null, state: state,
    local: B.normalize(B.clone(state ? state.definition : data.starter)), ops: [], undo: [], lastKey: null,
    inflight: false, conflict: null, timer: null, sel: null, problems: [],
    labels: {users: {}, roles: Object.assign({}, data.role_labels, state ? state.labels.roles : {})}
  };
  if (state) Object.assign(st.labels.users, state.labels.users);
  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content;

  function $(id) { return document.getElementById(id); }

  B.status = function (text, bad) {
    var s = $("bz-status");
    s.textContent = text;
    s.classList.toggle("bz-bad", !!bad);
  };

  /* ---------------------------------------------------------------- changing */

  B.change = function (op, opts) {
    opts = opts || {};
    var before = B.clone(st.local);
    op(st.local);
    if (!(opts.coalesce && st.lastKey === opts.coalesce)) st.undo.push(before);
    st.lastKey = opts.coalesce || null;
    st.ops.push(op);
    render();
    schedule(opts.delay || 0);
  };

  B.undo = function () {
    if (!st.undo.length) return;
    var previous = st.undo.pop();
    st.lastKey = null;
    st.local = B.clone(previous);
    if (st.sel && !B.fieldAt(st.local, st.sel)) st.sel = null;
    st.ops.push(function (d) {
      Object.keys(d).forEach(function (k) { delete d[k]; });
      Object.assign(d, B.clone(previous));
    });
    render();
    B.status("已撤销");
    schedule(0);
  };

  function render() {
    var active = document.activeElement, key = active && active.getAttribute && active.getAttribute("data-k");
    var start = active && "selectionStart" in active ? active.selectionStart : null;
    var open = Array.prototype.map.call(document.querySelectorAll("details[data-k][open]"),
                                        function (d) { return d.getAttribute("data-k"); });
    renderMeta();
    B.renderTimeLimit();
    B.renderProps();
    B.renderSteps();
    $("bz-undo").disabled = !st.undo.length;
    toolLinks();
    $("bz-empty").hidden = st.local.form.fields.length > 0;
    $("bz-form-title").textContent = st.local.form.title || st.local.name || "";
    $("bz-heading").textContent = st.local.name || "新建服务";
    open.forEach(function (k) { var d = document.querySelector('details[data-k="' + k + '"]'); if (d) d.open = true; });
    B.patchCanvas();
    if (key && document.activeElement !== active) {
      var again = document.querySelector('[data-k="' + key + '"]');
      if (again) {
        again.focus();
        try { if (start !== null) again.setSelectionRange(start, start); } catch (e) { /* not a text input */ }
      }
    }
    showProblems(st.problems);
  }

  /* ---------------------------------------------------------------- saving */

  function schedule(delay) {
    clearTimeout(st.timer);
    B.status("正在保存…");
    st.timer = setTimeout(save, delay);
  }

  function send(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
                       headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json"},
                       body: JSON.stringify(body)})
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (b) { return {status: r.status, body: b}; }); });
  }

  function localProblems(d) {
    var out = B.stepProblems(d).concat(B.limitProblems(), B.labelProblems(d));
    if (!d.name) out.push({target: {kind: "meta", key: "name"}, message: "请填写事项名称"});
    if (!d.audience.length) out.push({target: {kind: "meta", key: "audience"}, message: "请至少选择一类服务对象"});
    return out;
  }

  function save() {
    if (st.conflict) { B.status("未保存：草稿已被他人修改", true); return; }
    if (st.inflight) return;
    if (!st.ops.length) { B.status("已保存"); return; }
    if (!st.draftId && !st.local.form.fields.length) { B.status("添加第一个字段后自动保存为草稿"); return; }
    var problems = localProblems(st.local);
    if (problems.length) { st.problems = problems; showProblems(problems); B.status("尚未保存", !!st.draftId); return; }
    var sent = st.ops.length;
    st.inflight = true;
    var request = st.draftId ? send(st.state.api, {definition: st.local, revision: st.revision})
                             : send(data.urls.create, {definition: st.local});
    request.then(function (res) {
      st.inflight = false;
      if (res.status === 200 || res.status === 201) saved(res.body, sent);
      else if (res.status === 409) conflict(res.body);
      else if (res.status === 422) {
        st.problems = res.body.problems || [];
        render();
        B.status("未保存：请按提示修改", true);
      } else B.status("保存失败（" + res.status + "），请稍后再试", true);
    }, function () { st.inflight = false; B.status("网络错误，修改尚未保存", true); });
  }

  function saved(s, sent) {
    var created = !st.draftId;
    st.draftId = s.draft_id;
    st.state = s;
    st.revision = s.revision;
    Object.assign(st.labels.users, s.labels.users);
    Object.assign(st.labels.roles, s.labels.roles);
    st.ops = st.ops.slice(sent);
    var local = B.normalize(B.clone(s.definition));
    st.ops.forEach(function (op) { op(local); });
    st.local = local;
    st.problems = [];
    if (created) { history.replaceState(null, "", s.url); st.undo = []; }
    st.canvasHtml = s.canvas;
    B.setCanvas(s.canvas);
    render();
    toolLinks();
    if (!document.getElementById("bz-preview").hidden) B.showPreview();
    if (st.ops.length) schedule(0); else B.status("已保存");
  }

  B.loaded = function (s) { saved(s, 0); };     // a state the server made (builder_schema.js)

  /* ---------------------------------------------------------------- conflicts */

  function conflict(body) {
    st.conflict = body;
    var when = body.at ? new Date(body.at).toLocaleString("zh-CN", {hour12: false}) : "";
    var box = $("bz-alert");
    box.textContent = "";
    box.appendChild(el("p", {class: "mb-1", text: (body.message || "草稿已被" + (body.by || "其他人") + "于" + when + "修改") +
      "。您刚才的修改仍显示在页面上。"}));
    box.appendChild(el("button", {type: "button", class: "btn btn-sm btn-primary", id: "bz-reapply",
                                  text: "重新加载并应用我的修改", onclick: function () { reload(true); }}));
    box.appendChild(el("button", {type: "button", class: "btn btn-sm btn-outline-secondary",
                                  text: "放弃我的修改，加载最新版本", onclick: function () { reload(false); }}));
    box.hidden = false;
    B.status("未保存：草稿已被他人修改", true);
  }

  function reload(reapply) {
    fetch(st.state.api, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        st.conflict = null;
        $("bz-alert").hidden = true;
        if (!reapply) st.ops = [];
        st.undo = [];           // older snapshots would undo the other editor's change too
        saved(s, 0);
      });
  }

  /* ---------------------------------------------------------------- problems at controls */

  function showProblems(problems) {
    document.querySelectorAll(".bz-err-msg").forEach(function (n) { n.remove(); });
    document.querySelectorAll(".bz-has-error").forEach(function (n) { n.classList.remove("bz-has-error"); });
    (problems || []).forEach(function (p) {
      var t = p.target || {}, host = null;
      if (t.kind === "field") {
        var item = document.querySelector('#bz-canvas .bz-item[data-index="' + t.index + '"]');
        if (item) { item.classList.add("bz-has-error"); host = item; }
        var sel = st.sel;
        if (sel && sel.index === t.index) {
          var props = $("bz-props");
          host = props.querySelector(t.column !== undefined && t.column !== null && sel.column === null
            ? '[data-err="column-' + t.column + '"]' : '[data-err="' + t.key + '"]') || host;
        }
      } else if (t.kind === "step") {
        var card = document.querySelector('.bz-step[data-step="' + t.index + '"]');
        if (card) { card.classList.add("bz-has-error"); host = card.querySelector('[data-err="' + t.key + '"]') || card; }
      } else if (t.kind === "meta") {
        var input = {name: "bz-name", category: "bz-category", department: "bz-department", time_limit: "bz-time"}[t.key];
        host = input ? $(input).parentNode : document.querySelector(".bz-meta");
      } else if (t.kind === "steps") host = $("bz-steps");
      else host = $("bz-canvas");
      if (host) host.appendChild(el("p", {class: "bz-err-msg", role: "alert", text: where(p) + p.message}));
    });
  }

  function where(p) { return p.where ? p.where + "：" : ""; }

  /* ---------------------------------------------------------------- basic information */

  function renderMeta() {
    var d = st.local;
    [["bz-name", "name"], ["bz-category", "category"], ["bz-department", "department"]].forEach(function (pair) {
      var input = $(pair[0]);
      if (document.activeElement !== input && input.value !== (d[pair[1]] || "")) input.value = d[pair[1]] || "";
    });
    $("bz-department").disabled = !!st.draftId && data.departments.length < 2;
    document.querySelectorAll("input[name=bz-audience]").forEach(function (box) { box.checked = d.audience.indexOf(box.value) >= 0; });
  }

  function initMeta() {
    $("bz-name").addEventListener("input", function () {
      var value = $("bz-name").value.trim();
      B.change(function (d) {
        if (!d.form.title || d.form.title === d.name) d.form.title = value;
        d.name = value;
      }, {coalesce: "meta-name", delay: 600});
    });
    $("bz-category").addEventListener("input", function () {
      var value = $("bz-category").value.trim();
      B.change(function (d) { d.category = value; }, {coalesce: "meta-category", delay: 600});
    });
    $("bz-department").addEventListener("change", function () {
      var value = $("bz-department").value;
      B.change(function (d) { d.department = value; });
    });
    document.querySelectorAll("input[name=bz-audience]").forEach(function (box) {
      box.addEventListener("change", function () {
        var picked = Array.prototype.filter.call(document.querySelectorAll("input[name=bz-audience]"),
          function (b) { return b.checked; }).map(function (b) { return b.value; });
        B.change(function (d) { d.audience = picked; });
      });
    });
  }

  /* Why 发布 cannot be pressed yet, in words beside it ("" when it can). */
  function publishBlocker() {
    if (!st.local.name) return "请先填写事项名称";
    var schemaFields = st.state && st.state.schema_fields;   // a form written as JSON Schema
    if (schemaFields ? !schemaFields.length : !(st.local.form.fields || []).length) return "表单还没有字段";
    if (!st.state) return "请等待保存完成";
    return "";
  }

  function toolLinks() {
    var s = st.state, why = publishBlocker();
    $("bz-publish-open").disabled = !!why;
    $("bz-publish-why").textContent = why ? "无法发布：" + why : "";
    $("bz-publish-why").hidden = !why;
    $("bz-preview-as").disabled = !s;
    if (!s) return;
    $("bz-more").href = s.metadata_url; $("bz-more").hidden = false;
    $("bz-source").href = s.source_url; $("bz-it").hidden = false;
  }

  /* ---------------------------------------------------------------- publishing */

  function openPublish() {
    if (st.ops.length || st.inflight) {
      B.status(st.problems.length ? "请先改正标出的问题再发布" : "请等待保存完成后再发布", true);
      return;
    }
    var dialog = $("bz-publish"), body = $("bz-publish-body");
    body.textContent = "正在检查…";
    $("bz-publish-confirm").disabled = true;
    $("bz-publish-confirm").hidden = false;
    $("bz-publish-cancel").textContent = "取消";
    dialog.showModal();
    fetch(st.state.publish_api, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (info) {
        body.textContent = "";
        body.appendChild(el("p", {text: "“" + st.local.name + "”共 " + st.local.form.fields.length + " 个字段，办理流程："}));
        var list = el("ol");
        info.steps.forEach(function (s) {
          var who = s.depends_on_form ? "由申请人在表单中选择" : s.nobody ? "⚠ 找不到办理人" : s.people.join("、");
          list.appendChild(el("li", {text: s.name + " — " + s.who + (who ? "（以您为申请人：" + who + "）" : "")}));
        });
        list.appendChild(el("li", {text: "完成"}));
        body.appendChild(list);
        Object.keys(info.changes || {}).forEach(function (section) {
          body.appendChild(el("p", {class: "mb-0 font-weight-bold", text: section}));
          body.appendChild(el("ul", {}, info.changes[section].map(function (line) { return el("li", {text: line}); })));
        });
        info.warnings.forEach(function (w) { body.appendChild(el("p", {class: "text-danger", text: w})); });
        testsReport(body, info.tests);
        body.appendChild(el("p", {class: "small text-muted", text: "发布后生成新版本；已发起的申请仍按原版本办理。"}));
        $("bz-publish-confirm").disabled = false;
      });
  }

  /* 场景测试 (the service's NAME.test.yaml, run before 发布): a line per failing case. */
  function testsReport(body, tests) {
    if (!tests) return;
    if (tests.ok) {
      body.appendChild(el("p", {class: "text-success", id: "bz-tests", text: "场景测试全部通过：" + tests.passed + " 项"}));
      return;
    }
    body.appendChild(el("p", {class: "text-danger font-weight-bold", id: "bz-tests",
                              text: "场景测试未通过：" + tests.passed + " 项通过，" + tests.failed + " 项失败"}));
    var lines = (tests.problems || []).concat(tests.results.filter(function (r) { return !r.passed; })
      .map(function (r) { return r.name + " — " + r.differences.join("；"); }));
    body.appendChild(el("ul", {class: "small text-danger"}, lines.map(function (line) { return el("li", {text: line}); })));
  }

  function publish() {
    $("bz-publish-confirm").disabled = true;
    var override = $("bz-override-tests");
    send(st.state.publish_api, {revision: st.revision, override_tests: !!(override && override.checked)}).then(function (res) {
      var body = $("bz-publish-body");
      body.textContent = "";
      if (res.status === 200) {
        body.appendChild(el("p", {class: "text-success font-weight-bold", id: "bz-published", text: res.body.message}));
        body.appendChild(el("p", {}, [el("a", {href: res.body.hall_url, text: "在办事大厅查看"}), " · ",
                                      el("a", {href: res.body.versions_url, text: "版本与停用"})]));
        $("bz-publish-confirm").hidden = true;
        $("bz-publish-cancel").textContent = "关闭";
        data.published_names = B.publishedNames(st.local);
        B.status("已发布");
      } else if (res.status === 409) { $("bz-publish").close(); conflict(res.body); }
      else {
        if (res.body.error === "tests_failed") body.appendChild(el("p", {class: "font-weight-bold text-danger", text: res.body.message}));
        (res.body.problems || [{message: res.body.message || "发布失败"}]).forEach(function (p) {
          body.appendChild(el("p", {class: "text-danger", text: p.message}));
        });
        if (res.body.error === "tests_failed" && res.body.can_override) {
          var box = el("input", {type: "checkbox", id: "bz-override-tests", class: "form-check-input"});
          box.addEventListener("change", function () { $("bz-publish-confirm").disabled = !box.checked; });
          body.appendChild(el("div", {class: "form-check"}, [box, el("label", {class: "form-check-label", for: "bz-override-tests",
                                                                                 text: "测试未通过，我是系统管理员，确认仍然发布"})]));
        }
      }
    });
  }

  /* ---------------------------------------------------------------- start */

  document.addEventListener("keydown", function (ev) {
    var t = ev.target, typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if ((ev.ctrlKey || ev.metaKey) && !ev.shiftKey && ev.key.toLowerCase() === "z" && !typing) {
      ev.preventDefault();
      B.undo();
    }
  });
  $("bz-undo").addEventListener("click", B.undo);
  $("bz-publish-open").addEventListener("click", openPublish);
  $("bz-publish-confirm").addEventListener("click", publish);
  $("bz-publish-cancel").addEventListener("click", function () { $("bz-publish").close(); });
  initMeta();
  B.initTimeLimit();
  B.initPreview();
  B.initCanvas();
  if (state) { st.canvasHtml = state.canvas; B.setCanvas(state.canvas); }
  render();
  toolLinks();
  B.status(state ? "已保存" : "新服务：填写事项名称，再添加第一个字段");
  if (!state) $("bz-name").focus();
})();
