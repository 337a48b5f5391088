"""The fields editor and the steps editor: add, edit, move, remove — through forms."""
from flask import abort, redirect, request, url_for
from flask_admin import expose

from designer import drafts, editors, identifiers
from designer.forms import TYPE_LABELS, FieldForm, PublishForm, StepForm


def parse_at(at: str, definition: dict):
    """"3" → (3, None); "3.1" → (3, 1) for column 1 of the rows field 3; else 404."""
    try:
        parts = [int(p) for p in (at or "").split(".")]
    except ValueError:
        abort(404)
    fields = definition["form"]["fields"]
    if len(parts) not in (1, 2) or not 0 <= parts[0] < len(fields):
        abort(404)
    if len(parts) == 2:
        columns = fields[parts[0]].get("columns") or []
        if not 0 <= parts[1] < len(columns):
            abort(404)
        return parts[0], parts[1]
    return parts[0], None


def _list_at(definition, index, column):
    """The list that holds the addressed field (the form's fields, or a rows field's columns)."""
    fields = definition["form"]["fields"]
    return fields if column is None else fields[index].setdefault("columns", [])


def _checked_post():
    if not PublishForm().validate_on_submit():      # the CSRF token of a bare POST
        abort(400)


class FieldRoutes:
    @expose("/<int:draft_id>/fields")
    def fields(self, draft_id):
        draft = self.draft_or_404(draft_id)
        return self.tab("designer/fields.html", draft, "fields", form=PublishForm())

    @expose("/<int:draft_id>/fields/edit", methods=("GET", "POST"))
    def edit_field(self, draft_id):
        draft = self.draft_or_404(draft_id)
        index, column = parse_at(request.args.get("at"), draft.definition)
        current = _list_at(draft.definition, index, column)[column if column is not None else index]
        return self._field_form(draft, current, index, column, adding=False)

    @expose("/<int:draft_id>/fields/add", methods=("GET", "POST"))
    def add_field(self, draft_id):
        draft = self.draft_or_404(draft_id)
        parent = request.args.get("parent")
        index, column = (parse_at(parent, draft.definition)[0], -1) if parent else (None, None)
        if parent and draft.definition["form"]["fields"][index]["type"] != "rows":
            abort(404)
        blank = {"name": "", "type": "text", "label": ""}
        return self._field_form(draft, blank, index, column, adding=True)

    def _field_form(self, draft, current, index, column, adding):
        is_column = column is not None
        form = FieldForm(data=editors.field_to_data(current) if request.method == "GET" else None,
                         column=is_column)
        if form.validate_on_submit():
            definition = drafts.edited(draft)
            holder = _list_at(definition, index, column)
            data = dict(form.data, name=_field_name(form, current, holder, adding, definition, is_column))
            try:
                field = editors.data_to_field(data, column=is_column, columns=current.get("columns"))
            except ValueError as exc:
                form.default.errors = list(form.default.errors) + [str(exc)]
            else:
                if adding:
                    holder.append(field)
                    position = len(holder) - 1
                else:
                    position = column if is_column else index
                    holder[position] = field
                at = ("form", "fields") + ((index, "columns", position) if is_column else (position,))
                if self.save(draft, definition, form, at):
                    return redirect(url_for(".fields", draft_id=draft.id))
        parent = draft.definition["form"]["fields"][index] if is_column else None
        types = [value for value, _ in form.type.choices]
        inputs = [f for f in draft.definition["form"]["fields"] if f["type"] != "section"]
        return self.tab("designer/field_edit.html", draft, "fields", form=form, adding=adding,
                        parent=parent, current=current, inputs=inputs,
                        allowed_keys={t: editors.allowed_keys(t, is_column) for t in types})

    @expose("/<int:draft_id>/fields/move", methods=("POST",))
    def move_field(self, draft_id):
        draft = self.draft_or_404(draft_id)
        _checked_post()
        definition = drafts.edited(draft)
        index, column = parse_at(request.form.get("at"), definition)
        holder = _list_at(definition, index, column)
        if editors.move(holder, column if column is not None else index, _offset()):
            self.save(draft, definition)
        return redirect(url_for(".fields", draft_id=draft.id))

    @expose("/<int:draft_id>/fields/delete", methods=("POST",))
    def delete_field(self, draft_id):
        draft = self.draft_or_404(draft_id)
        _checked_post()
        definition = drafts.edited(draft)
        index, column = parse_at(request.form.get("at"), definition)
        del _list_at(definition, index, column)[column if column is not None else index]
        self.save(draft, definition)
        return redirect(url_for(".fields", draft_id=draft.id))


def _field_name(form, current, holder, adding, definition, is_column) -> str:
    """The name typed under 高级, else the field's own, else one made from its label."""
    typed = (form.name.data or "").strip()
    if typed:
        return typed
    if not adding and current.get("name"):
        return current["name"]
    label = (form.label.data or "").strip() or TYPE_LABELS.get(form.type.data, "")
    columns = holder if is_column else None
    return identifiers.field_name(label, definition, columns)


def _offset() -> int:
    return -1 if request.form.get("direction") == "up" else 1


def _step_index(at, definition) -> int:
    try:
        index = int(at)
    except (TypeError, ValueError):
        abort(404)
    if not 0 <= index < len(definition["steps"]):
        abort(404)
    return index


class StepRoutes:
    @expose("/<int:draft_id>/steps")
    def steps(self, draft_id):
        draft = self.draft_or_404(draft_id)
        return self.tab("designer/steps.html", draft, "steps", form=PublishForm())

    @expose("/<int:draft_id>/steps/edit", methods=("GET", "POST"))
    def edit_step(self, draft_id):
        draft = self.draft_or_404(draft_id)
        index = _step_index(request.args.get("at"), draft.definition)
        return self._step_form(draft, draft.definition["steps"][index], index)

    @expose("/<int:draft_id>/steps/add", methods=("GET", "POST"))
    def add_step(self, draft_id):
        draft = self.draft_or_404(draft_id)
        blank = {"id": "", "name": "", "by": {"role": "dept_leader", "of": "applicant"}}
        return self._step_form(draft, blank, None)

    def _step_form(self, draft, current, index):
        data = editors.step_to_data(current) if request.method == "GET" else None
        form = StepForm(data=data)
        if request.method == "GET":
            form.cc.append_entry()
        steps = draft.definition["steps"]
        earlier = steps[:index] if index is not None else steps
        inputs = [f for f in draft.definition["form"]["fields"] if f["type"] != "section"]
        form.return_to.choices = [(s["id"], s["name"]) for s in earlier]
        form.edit.choices = form.hidden.choices = [(f["name"], f.get("label") or f["name"]) for f in inputs]
        if form.validate_on_submit():
            definition = drafts.edited(draft)
            step_id = (form.id.data or "").strip() or current.get("id") or \
                identifiers.step_id(form.name.data.strip(), definition)
            step = editors.data_to_step(dict(form.data, id=step_id), current)
            if index is None:
                definition["steps"].append(step)
            else:
                definition["steps"][index] = step
            position = len(definition["steps"]) - 1 if index is None else index
            if self.save(draft, definition, form, ("steps", position)):
                return redirect(url_for(".steps", draft_id=draft.id))
        user_fields = [f["name"] for f in inputs if f["type"] == "user"]
        return self.tab("designer/step_edit.html", draft, "steps", form=form, adding=index is None,
                        user_fields=user_fields, roles=_roles(), departments=_departments(), inputs=inputs)

    @expose("/<int:draft_id>/steps/move", methods=("POST",))
    def move_step(self, draft_id):
        draft = self.draft_or_404(draft_id)
        _checked_post()
        definition = drafts.edited(draft)
        index = _step_index(request.form.get("at"), definition)
        if editors.move(definition["steps"], index, _offset()):
            self.save(draft, definition)
        return redirect(url_for(".steps", draft_id=draft.id))

    @expose("/<int:draft_id>/steps/delete", methods=("POST",))
    def delete_step(self, draft_id):
        draft = self.draft_or_404(draft_id)
        _checked_post()
        definition = drafts.edited(draft)
        del definition["steps"][_step_index(request.form.get("at"), definition)]
        self.save(draft, definition)
        return redirect(url_for(".steps", draft_id=draft.id))


def _roles():
    from app.models import Role
    return list(Role.select().order_by(Role.code))


def _departments():
    from app.webforms import departments
    return departments()
