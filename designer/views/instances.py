"""Instances of the admin's services: a read-only audit view with flow records; 改派, 留存."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from app import audit
from app.engine import core, queries
from app.engine.exceptions import EngineError
from app.engine.states import Action, TaskStatus
from app.models import Instance, Service, Task
from designer import scope
from designer.forms import ReassignForm
from designer.views.base import ScopedModelView


class InstancesView(ScopedModelView):
    can_create = can_edit = can_delete = False
    can_view_details = True
    details_template = "designer/instance_details.html"
    column_list = ("serial", "title", "service", "status", "step", "applicant", "created", "updated")
    column_labels = {"serial": "流水号", "title": "事项", "service": "服务", "status": "状态",
                     "step": "当前步骤", "applicant": "申请人", "created": "创建时间",
                     "updated": "更新时间", "version": "版本"}
    column_formatters = {
        "service": lambda v, c, m, n: m.service.name,
        "applicant": lambda v, c, m, n: f"{m.applicant.name}（{m.applicant.username}）",
        "status": lambda v, c, m, n: core.STATUS_LABELS.get(m.status, m.status),
    }
    column_searchable_list = ("title",)
    column_filters = ("serial", "status", "created")
    column_default_sort = ("updated", True)

    def scoped(self, query):
        managed = scope.managed_departments(current_user)
        if managed is scope.ALL:
            return query
        services = Service.select(Service.id).where(Service.department.in_(sorted(managed) or [""]))
        return query.where(Instance.service.in_(services))

    def render(self, template, **kwargs):
        model = kwargs.get("model")
        if template == self.details_template and model is not None:
            actions = core.available_actions(model, current_user._get_current_object())
            kwargs.update(records=queries.flow_records(model), tasks=queries.task_table(model),
                          can_reassign=Action.REASSIGN in actions,
                          open_tasks=list(model.tasks.where(Task.kind == "do", Task.status == TaskStatus.OPEN)),
                          reassign_form=ReassignForm(), version_number=model.version.version)
        return super().render(template, **kwargs)

    @expose("/hold/<int:instance_id>", methods=("POST",))
    def hold(self, instance_id):
        """留存 (legal hold): retention skips a held instance until the hold is lifted."""
        from app.engine import retention
        instance = self.get_one(instance_id)
        if instance is None:
            abort(404)
        held = request.form.get("held") == "1"
        from app import audit
        from app.db import db
        with db.atomic():
            retention.set_hold(instance, held)
            audit.record("hold", current_user, f"流水号 {instance.serial}：{'设为留存' if held else '取消留存'}")
        flash("已设为留存：数据保留期满后也不会被匿名化或删除" if held else "已取消留存", "success")
        return redirect(url_for(".details_view", id=instance_id))

    @expose("/reassign/<int:instance_id>", methods=("POST",))
    def reassign(self, instance_id):
        instance = self.get_one(instance_id)
        form = ReassignForm()
        if not form.validate_on_submit():
            abort(400)
        task = Task.get_or_none(Task.id == form.task.data, Task.instance == instance)
        if task is None:
            abort(404)
        try:
            new = core.reassign(task, form.to_user.data.strip(), current_user._get_current_object())
        except EngineError as exc:
            flash(exc.message, "error")
        else:
            audit.record("reassign", current_user, f"流水号 {instance.serial} 步骤 {task.step}: "
                         f"{task.assignee.username} → {new.assignee.username}")
            flash(f"已改派给 {new.assignee.name}（{new.assignee.username}）", "success")
        return redirect(url_for(".details_view", id=instance.id))


def views():
    return [InstancesView(Instance, name="办件", endpoint="designer_instances", url="/designer/instances")]
