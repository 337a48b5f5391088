/* 设计器: the step chain — steps as a vertical chain, the assignee chosen from the assignee
   kinds' Chinese presets with people, roles and departments picked by name, 会签/或签,
   conditions built from pickers, opinion, actions, return targets, field rights and cc. */
(function () {
  "use strict";
  var B = window.OneHallBuilder, el = B.el;

  B.presets = function () {
    var out = [];
    B.data.kinds.forEach(function (kind) {
      kind.presets.forEach(function (p) { out.push({label: p.label, spec: p.spec, kind: kind}); });
    });
    return out;
  };

  function keysOf(spec) { return typeof spec === "string" ? [spec] : Object.keys(spec || {}).sort(); }

  B.presetOf = function (spec) {
    var keys = keysOf(spec).join(","), found = -1;
    B.presets().forEach(function (p, i) { if (found < 0 && keysOf(p.spec).join(",") === keys) found = i; });
    return found;
  };

  B.describeSpec = function (spec) {
    if (spec === "applicant") return "申请人";
    if (!spec || typeof spec !== "object") return "";
    var labels = B.st.labels || {};
    if (spec.user) return (labels.users || {})[spec.user] || "";
    if (Array.isArray(spec.users)) return spec.users.map(function (u) { return (labels.users || {})[u] || ""; }).join("、");
    if (spec.role) {
      var role = (labels.roles || {})[spec.role] || "";
      if (!role) return "";
      if (spec.of === "applicant") return "申请人所在单位的" + role;
      if (spec.department) return spec.department + "的" + role;
      return role;
    }
    if (spec.field) {
      var f = B.st.local.form.fields.filter(function (x) { return x.name === spec.field; })[0];
      return "表单中“" + (f ? f.label || f.name : "") + "”所选的人员";
    }
    return "";
  };

  /* What people call the step: 部门领导审批 for the applicant's own 单位领导, else who + 审批. */
  B.autoStepName = function (spec) {
    if (spec === "applicant") return "填写申请";
    if (spec && spec.role && spec.of === "applicant") {
      var role = ((B.st.labels || {}).roles || {})[spec.role] || "";
      return role ? role.replace(/^单位/, "部门") + "审批" : "";
    }
    var who = B.describeSpec(spec);
    return who ? who + "审批" : "";
  };

  B.rememberLabel = function (kind, value, label) {
    var labels = B.st.labels = B.st.labels || {};
    if (kind === "users" || kind === "roles") (labels[kind] = labels[kind] || {})[value] = label;
  };

  /* One assignee spec's editor: the preset select, then a picker per chosen part. */
  function assigneeEditor(spec, onChange, k) {
    var presets = B.presets(), current = B.presetOf(spec), box = el("div", {class: "bz-assignee"});
    var select = B.select(presets.map(function (p, i) { return [i, p.label]; }), current,
                          {"aria-label": "办理人", "data-k": k + "-kind"});
    select.addEventListener("change", function () {
      var next = B.clone(presets[Number(select.value)].spec);
      if (typeof next === "object" && typeof spec === "object") {
        Object.keys(next).forEach(function (key) { if (next[key] === "" && spec[key]) next[key] = spec[key]; });
      }
      onChange(next);
    });
    box.appendChild(select);
    if (current >= 0 && typeof spec === "object") {
      var props = presets[current].kind.schema.properties || {};
      Object.keys(props).filter(function (key) { return key in spec; }).forEach(function (key) {
        var schema = props[key] || {}, choices = schema["x-choices"], value = spec[key];
        if (!choices && schema.const !== undefined) return;     // fixed by the preset (of: applicant)
        var pick = function (v) { var next = B.clone(spec); next[key] = v; onChange(next); };
        var labels = B.st.labels || {};
        var label = choices === "users" ? (labels.users || {})[value] : choices === "roles" ? (labels.roles || {})[value] : value;
        var control;
        if (!choices) {                                          // a plugin kind's plain setting
          control = B.schemaControl(schema, value, pick, k + "-" + key);
          control.setAttribute("aria-label", schema.title || key);
        } else if (choices === "user_fields") {
          var fields = B.st.local.form.fields.filter(function (f) { return f.type === "user"; });
          control = B.select([["", fields.length ? "请选择人员字段" : "表单中没有“人员”字段"]].concat(
            fields.map(function (f) { return [f.name, f.label || f.name]; })), value,
            {"data-k": k + "-" + key, onchange: function (ev) { pick(ev.target.value); }});
        } else if (schema.type === "array") {                 // several people (指定多名人员, a plugin's list)
          control = manyPicker(choices, value || [], pick, k + "-" + key);
        } else {
          control = B.picker(choices, value, label, pick, k + "-" + key);
        }
        box.appendChild(el("div", {class: "bz-prop", "data-err": "by"}, [el("div", {class: "small", text: schema.title || key}), control]));
      });
    }
    return box;
  }

  /* The chosen people (or roles) as removable chips, and a search to add one more. */
  function manyPicker(kind, values, pick, k) {
    var labels = (B.st.labels || {})[kind] || {}, box = el("div", {class: "bz-many"});
    var chips = el("div", {class: "bz-chips"}, values.map(function (v, i) {
      return el("span", {class: "bz-picked"}, [labels[v] || v, " ", el("button", {type: "button", class: "bz-chip-x", text: "✕",
        "aria-label": "移除“" + (labels[v] || v) + "”", onclick: function () {
          pick(values.filter(function (x, j) { return j !== i; }));
        }})]);
    }));
    box.appendChild(chips);
    var search = B.picker(kind, "", "", function (v) {
      if (values.indexOf(v) < 0) pick(values.concat([v]));
    }, k);
    search.firstChild.hidden = !!values.length;          // the picker's own "尚未选择" only when nobody is chosen
    box.appendChild(search);
    return box;
  }

  function stepOp(index, fn) { return function (d) { if (d.steps[index]) fn(d.steps[index], d); }; }

  function setStep(index, key, value) {
    return stepOp(index, function (s) {
      var empty = value === "" || value === null || value === undefined || (Array.isArray(value) && !value.length);
      if (empty) delete s[key]; else s[key] = B.clone(value);
    });
  }

  function setBy(index, spec) {
    return stepOp(index, function (s) {
      var auto = !s.name || s.name === B.autoStepName(s.by);
      s.by = spec;
      if (auto && B.autoStepName(spec)) s.name = B.autoStepName(spec);
    });
  }

  B.newStepOp = function () {
    return function (d) {
      var spec = {role: "dept_leader", of: "applicant"};
      B.rememberLabel("roles", "dept_leader", (B.st.labels.roles || {}).dept_leader || "单位领导");
      d.steps.push({id: "", name: B.autoStepName(spec), by: spec, actions: ["approve", "return"]});
    };
  };

  function moveStep(index, delta) {
    return function (d) {
      var to = index + delta;
      if (to < 0 || to >= d.steps.length) return;
      d.steps.splice(to, 0, d.steps.splice(index, 1)[0]);
    };
  }

  function removeStep(index) { return function (d) { if (d.steps.length > 1) d.steps.splice(index, 1); }; }

  function stepCard(step, i, d) {
    var k = "s" + i, change = function (op, delay, key) { B.change(op, {coalesce: key ? k + key : null, delay: delay}); };
    var inputs = d.form.fields.filter(function (f) { return (B.types[f.type] || {}).is_input && f.name; })
      .map(function (f) { return [f.name, f.label || f.name]; });
    var name = el("input", {type: "text", class: "form-control form-control-sm", value: step.name || "",
                            "aria-label": "第" + (i + 1) + "步的名称", "data-k": k + "-name",
                            oninput: function () { change(setStep(i, "name", name.value), 500, "-name"); }});
    var filling = i === 0 && step.by === "applicant";     // the applicant fills the form: always first
    var head = el("div", {class: "bz-step-head"}, [el("span", {class: "bz-step-no", text: String(i + 1)}), name,
      el("button", {type: "button", class: "bz-mini", text: "↑", "aria-label": "上移步骤“" + step.name + "”", disabled: i <= 1,
                    onclick: function () { change(moveStep(i, -1)); }}),
      el("button", {type: "button", class: "bz-mini", text: "↓", "aria-label": "下移步骤“" + step.name + "”",
                    disabled: filling || i === d.steps.length - 1, onclick: function () { change(moveStep(i, 1)); }}),
      el("button", {type: "button", class: "bz-mini bz-danger", text: "✕", "aria-label": "删除步骤“" + step.name + "”",
                    disabled: filling || d.steps.length === 1, onclick: function () { change(removeStep(i)); }})]);
    var card = el("li", {class: "bz-step", "data-step": i, "data-err": "step-" + i}, [head]);
    if (filling) {
      card.appendChild(el("div", {class: "bz-prop", "data-err": "by"}, [el("div", {class: "bz-prop-title", text: "办理人"}),
        el("div", {text: "申请人（填写并提交表单）"})]));
      return card;
    }
    card.appendChild(el("div", {class: "bz-prop", "data-err": "by"}, [el("div", {class: "bz-prop-title", text: "办理人"}),
      assigneeEditor(step.by, function (spec) { change(setBy(i, spec)); }, k + "-by")]));
    var opinion = B.select(B.data.opinions, step.opinion || "optional", {"data-k": k + "-opinion", "aria-label": "第" + (i + 1) + "步的办理意见",
      onchange: function () { change(setStep(i, "opinion", opinion.value === "optional" ? "" : opinion.value)); }});
    card.appendChild(B.prop("办理意见", opinion, "opinion", k + "-opinion"));
    if (step.by !== "applicant") {
      var mode = B.select(B.data.modes, step.mode || "any", {"data-k": k + "-mode",
        onchange: function () { change(setStep(i, "mode", mode.value === "any" ? "" : mode.value)); }});
      card.appendChild(B.prop("多人办理时", mode, "mode", k + "-mode"));
    }
    var more = el("details", {class: "bz-advanced", "data-k": k + "-more"}, [el("summary", {text: "条件、操作、退回、字段权限、抄送"})]);
    more.appendChild(el("div", {class: "bz-prop", "data-err": "when"}, [el("div", {class: "bz-prop-title", text: "仅在满足条件时办理"}),
      B.conditionEditor(step.when, B.subjects(d.form.fields, null), function (text) { change(setStep(i, "when", text)); }, k + "-when")]));
    more.appendChild(B.checks("允许的操作", B.data.actions, step.actions || ["approve", "return", "terminate"],
                              function (v) { change(setStep(i, "actions", v)); }, k + "-actions"));
    var earlier = d.steps.slice(0, i).filter(function (s) { return s.id; }).map(function (s) { return [s.id, s.name]; });
    if (earlier.length) more.appendChild(B.checks("可退回到", earlier, step.return_to || [],
                                                  function (v) { change(setStep(i, "return_to", v)); }, k + "-return"));
    if (inputs.length) {
      more.appendChild(B.checks("本步可修改的字段", inputs, step.edit || [], function (v) { change(setStep(i, "edit", v)); }, k + "-edit"));
      more.appendChild(B.checks("本步看不到的字段", inputs, step.hidden || [], function (v) { change(setStep(i, "hidden", v)); }, k + "-hidden"));
    }
    var cc = el("div", {class: "bz-prop", "data-err": "cc"}, [el("div", {class: "bz-prop-title", text: "抄送"})]);
    (step.cc || []).forEach(function (spec, ci) {
      cc.appendChild(assigneeEditor(spec, function (next) {
        change(stepOp(i, function (s) { s.cc[ci] = next; }));
      }, k + "-cc" + ci));
      cc.appendChild(el("button", {type: "button", class: "btn btn-link btn-sm p-0", text: "移除此抄送",
        onclick: function () { change(stepOp(i, function (s) { s.cc.splice(ci, 1); if (!s.cc.length) delete s.cc; })); }}));
    });
    cc.appendChild(el("button", {type: "button", class: "btn btn-sm btn-outline-secondary d-block", text: "＋ 添加抄送",
      onclick: function () { change(stepOp(i, function (s) { (s.cc = s.cc || []).push({role: "", of: "applicant"}); })); }}));
    more.appendChild(cc);
    card.appendChild(more);
    return card;
  }

  B.renderSteps = function () {
    var box = document.getElementById("bz-steps"), d = B.st.local;
    box.textContent = "";
    box.appendChild(el("h5", {text: "流程步骤"}));
    var chain = el("ol", {class: "bz-chain"});
    d.steps.forEach(function (step, i) { chain.appendChild(stepCard(step, i, d)); });
    box.appendChild(chain);
    box.appendChild(el("div", {class: "bz-step-end", text: "✓ 完成"}));
    box.appendChild(el("button", {type: "button", class: "btn btn-sm btn-outline-primary mt-2", id: "bz-add-step",
                                  text: "＋ 添加审批步骤", onclick: function () { B.change(B.newStepOp()); }}));
  };

  /* Steps whose assignee still misses a choice: not sent to the server yet. */
  B.stepProblems = function (d) {
    var out = [];
    d.steps.forEach(function (s, i) {
      [s.by].concat(s.cc || []).forEach(function (spec) {
        if (spec && typeof spec === "object" && Object.keys(spec).some(function (k) {
          return spec[k] === "" || (Array.isArray(spec[k]) && !spec[k].length);
        })) {
          out.push({target: {kind: "step", index: i, key: "by"}, message: "请选择办理人（人员、角色或部门）"});
        }
      });
      if (!s.name) out.push({target: {kind: "step", index: i, key: "name"}, message: "请填写步骤名称"});
    });
    return out;
  };
})();
