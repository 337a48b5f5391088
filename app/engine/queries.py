"""Read-side helpers: who may see what, milestones, the personal-center boxes, deadlines."""
from peewee import JOIN, Select, fn

from app.people import roles
from app.engine import rows
from app.engine.context import step_applies
from app.engine.serials import parse_serial
from app.engine.states import ACTIVE, FINISHED, Status as S, TaskStatus
from app.models import FlowRecord, Instance, Service, Task, User
from app.db.prepared import PreparedQuery, counting

BOXES = ("todo", "in_progress", "done", "cc", "drafts")
TODO_KINDS = ("do", "followup")       # 待办: approvals and 差评回访 (app.hall.followups)
PAGE_SIZE = 10


def is_admin(user) -> bool:
    return roles.is_admin(user)


def can_reassign(user, service) -> bool:
    """改派 is for admins and for the dept_admin of the service's department."""
    if user is None or not getattr(user, "is_active", False):
        return False
    managed = roles.managed_departments(user)
    return managed is None or service.department in managed


def is_participant(instance, user) -> bool:
    if instance.applicant_id == user.id:
        return True
    return Task.select().where(Task.instance == instance, (Task.assignee == user)
                               | (Task.on_behalf_of == user.id)).exists()   # 委托: the delegator too


def can_view(instance, user) -> bool:
    return is_participant(instance, user) or is_admin(user)


def hidden_fields(sdef, instance, user) -> set:
    """Fields this user may not see: ``hidden`` of every step they hold a task on."""
    if instance.applicant_id == user.id or not any(step.hidden for step in sdef.steps):
        return set()
    steps = {t.step for t in Task.select(Task.step).where(
        Task.instance == instance, (Task.assignee == user) | (Task.on_behalf_of == user.id))}
    hidden = set()
    for step in sdef.steps:
        if step.id in steps:
            hidden |= set(step.hidden)
    return hidden


def may_reveal(instance, user) -> bool:
    """Values of types that mask (an ID number) in full: for the applicant and admins only
    (not department admins)."""
    return user is not None and (instance.applicant_id == user.id or is_admin(user))


def masked_fields(sdef, instance, user) -> set:
    """Fields ``user`` sees masked; a value one cannot see is not one to edit either."""
    from plugins import masking
    if not masking.any_masked(sdef.form) or may_reveal(instance, user):
        return set()
    return {f.name for f in sdef.form.input_fields() if masking.masks_field(f)}


def visible_data(sdef, instance, user) -> dict:
    """The form data as ``user`` may see it: hidden fields left out, values of types that
    mask (``plugins.masking``) masked unless ``user`` may reveal them."""
    from plugins import masking
    hidden = hidden_fields(sdef, instance, user)
    data = {k: v for k, v in (instance.data or {}).items() if k not in hidden}
    if masking.any_masked(sdef.form) and not may_reveal(instance, user):
        data = masking.mask_data(sdef.form, data)
    return data


def open_task(instance, user):
    """The user's open to-do on the current step of a running or returned instance."""
    if instance.status not in ACTIVE:
        return None
    return rows.open_task(instance, user)


def milestones(sdef, instance) -> list[dict]:
    """Each applicable step as done / current / future, then the implicit 完成."""
    out, reached = [], instance.status == S.COMPLETED
    current_seen = False
    for step in sdef.steps:
        if not step_applies(step, instance.applicant, instance.data):
            continue
        if instance.status == S.COMPLETED:
            state = "done"
        elif step.id == instance.step and instance.status in (*ACTIVE, S.DRAFT):
            state, current_seen = "current", True
        elif instance.status == S.TERMINATED:
            state = "done" if _step_done(instance, step) else "future"
        else:
            state = "future" if current_seen else "done"
        out.append({"id": step.id, "name": step.name, "state": state})
    out.append({"id": "end", "name": "完成", "state": "done" if reached else "future"})
    return out


def _step_done(instance, step) -> bool:
    return (Task.select().where(Task.instance == instance, Task.step == step.id,
                                Task.status == TaskStatus.DONE).exists())


def task_table(instance) -> list:
    """The progress view's table (任务名, 状态, 办理时间, 办理用户), newest first."""
    return list(Task.select(Task, User).join(User)
                .where(Task.instance == instance, Task.kind == "do")
                .order_by(Task.created.desc(), Task.id.desc()))


def flow_records(instance) -> list:
    return list(FlowRecord.select(FlowRecord, User).join(User, JOIN.LEFT_OUTER)
                .where(FlowRecord.instance == instance)
                .order_by(FlowRecord.at, FlowRecord.id))


# The columns a list shows or needs (the 待办 page and GET /api/v1/me/items). Lists never
# show form data: leaving the JSON columns out keeps a page's cost flat, and every column
# left out is a value less to convert in each row. A list row reads None for the others.
LIST_FIELDS = [Instance.id, Instance.serial, Instance.service, Instance.applicant, Instance.title,
               Instance.status, Instance.step, Instance.created, Instance.updated, Instance.due]
# … nor the service's catalogue entry (its JSON columns are parsed row by row): the name the
# keyword search matches and the slug the API gives.
LIST_SERVICE_FIELDS = [Service.id, Service.slug, Service.name]


def box_query(user, box):
    """Instances in one of the personal-center boxes, newest first.

    待办 walks the index task(assignee, status, created) newest first and joins each row's
    instance: the cost of a page does not grow with the number of instances (a user holds
    at most one open to-do per instance, so the join yields no duplicates).
    """
    base = Instance.select(*LIST_FIELDS, *LIST_SERVICE_FIELDS).join(Service)
    if box == "todo":
        return (base.select_extend(Task.step_name)
                .switch(Instance).join(Task, on=(Task.instance == Instance.id), attr="todo_task")
                .where(Task.assignee == user, Task.status == TaskStatus.OPEN, Task.kind.in_(TODO_KINDS))
                .order_by(Task.created.desc(), Task.id.desc()))
    if box == "cc":
        tasks = Task.select(Task.instance).where(Task.assignee == user, Task.kind == "cc")
        return base.where(Instance.id.in_(tasks)).order_by(Instance.updated.desc(), Instance.id.desc())
    if box == "drafts":
        return (base.where(Instance.applicant == user, Instance.status == S.DRAFT)
                .order_by(Instance.updated.desc(), Instance.id.desc()))
    statuses = ACTIVE if box == "in_progress" else FINISHED
    acted = Task.select(Task.instance).where(Task.assignee == user, Task.kind == "do",
                                             Task.status.in_((TaskStatus.DONE, TaskStatus.CLOSED)))
    return (base.where(Instance.status.in_(statuses),
                       (Instance.applicant == user) | Instance.id.in_(acted))
            .order_by(Instance.updated.desc(), Instance.id.desc()))


def search_box(user, box, q="", serial=None):
    query = box_query(user, box)
    if serial:
        query = query.where(Instance.serial == (parse_serial(serial) or -1))
    if q:
        query = matching(query, f"%{q.strip()}%")
    return query


def matching(query, like):
    """Items whose title or service name is like ``like`` (any case)."""
    return query.where(Instance.title ** like | Service.name ** like)


def page(query, page_no, size=None):
    size = size or PAGE_SIZE
    total = query.count()
    page_no = max(1, min(page_no, max(1, -(-total // size))))
    return list(query.paginate(page_no, size)), total, page_no


def _box_search(box, keyword):
    """search_box's query (a box, with or without a keyword) and its count, prepared."""
    if keyword:
        build = lambda user, like: matching(box_query(user, box), like)  # noqa: E731
        kinds = {"user": int, "like": str}
    else:
        build = lambda user: box_query(user, box)                       # noqa: E731
        kinds = {"user": int}
    rows = PreparedQuery(lambda limit, offset, **v: build(**v).limit(limit).offset(offset),
                         limit=int, offset=int, **kinds)
    name = f"engine.box.{box}.{'search' if keyword else 'all'}"
    examples = {"user": lambda w: w.leader if box == "todo" else w.user, "like": "%样例%"}
    examples = {k: v for k, v in examples.items() if k in kinds}
    return (rows.named(name + ".rows", limit=20, offset=0, **examples),
            PreparedQuery(lambda **v: counting(build(**v)), **kinds).named(name + ".count", **examples))


BOX_SEARCHES = {(box, keyword): _box_search(box, keyword) for box in BOXES for keyword in (False, True)}


def box_page(user, box, q="", page_no=1, serial=None, size=None):
    """(rows, total, page number) of ``page(search_box(user, box, q, serial), page_no)``:
    the same rows, with SQL written once (a 流水号 search is rare and built each time)."""
    if serial:
        return page(search_box(user, box, q, serial), page_no, size)
    size = size or PAGE_SIZE
    q = (q or "").strip()
    rows, count = BOX_SEARCHES[box, bool(q)]
    values = {"user": user.id, "like": f"%{q}%"} if q else {"user": user.id}
    total = count.first(**values)[0]
    page_no = max(1, min(page_no, max(1, -(-total // size))))
    return list(rows(limit=size, offset=(page_no - 1) * size, **values)), total, page_no


BADGES = ("todo", "cc", "drafts")


def _box_counts_query(user):
    counts = {
        "todo": Task.select(fn.COUNT(Task.id)).where(Task.assignee == user,
                                                      Task.status == TaskStatus.OPEN,
                                                      Task.kind.in_(TODO_KINDS)),
        "cc": Task.select(fn.COUNT(Task.instance.distinct())).where(Task.assignee == user,
                                                                     Task.kind == "cc"),
        "drafts": Instance.select(fn.COUNT(Instance.id)).where(Instance.applicant == user,
                                                               Instance.status == S.DRAFT),
    }
    return Select(columns=[counts[k].alias(k) for k in BADGES]).limit(1).tuples()


BOX_COUNTS = PreparedQuery(_box_counts_query, user=int).named("engine.box_counts",
                                                              user=lambda w: w.leader)


def box_counts(user) -> dict:
    """The badge counts of 待办, 抄送 and 我的申请 in one SQL query (every page shows them)."""
    return dict(zip(BADGES, BOX_COUNTS.first(user=user.id)))


def is_overdue(item, now=None) -> bool:
    """逾期: an instance (or to-do) still being handled past its due date."""
    from app.models import utcnow
    if isinstance(item, Task):
        active = item.kind == "do" and item.status == TaskStatus.OPEN
    else:
        active = item.status in ACTIVE
    return bool(active and item.due and item.due < (now or utcnow()))


def overdue_tasks(now=None):
    """Open to-dos past their due date, oldest due first, with instance and assignee joined
    (for the reminder job)."""
    from app.models import utcnow
    return (Task.select(Task, Instance, User).join(Instance).switch(Task).join(User)
            .where(Task.kind == "do", Task.status == TaskStatus.OPEN, Task.due.is_null(False),
                   Task.due < (now or utcnow()), Instance.status.in_(ACTIVE))
            .order_by(Task.due, Task.id))


def current_step_names(instances) -> dict:
    """Current step names for many instances in one query (no N+1 in lists)."""
    known = {i.id: i.todo_task.step_name for i in instances if getattr(i, "todo_task", None)}
    ids = [i.id for i in instances if i.step and i.id not in known]
    if not ids:
        return known
    rows = (Task.select(Task.instance, Task.step, fn.MIN(Task.step_name).alias("name"))
            .where(Task.instance.in_(ids)).group_by(Task.instance, Task.step))
    names = {(r.instance_id, r.step): r.name for r in rows}
    return {i.id: known.get(i.id) or names.get((i.id, i.step), "") for i in instances}


def serial_search(user, serial, q=""):
    """A 流水号 search looks through all of the user's items (applied, to do, done, copied),
    whichever box it was typed in."""
    mine = Task.select(Task.instance).where(Task.assignee == user)
    query = (Instance.select(*LIST_FIELDS, *LIST_SERVICE_FIELDS).join(Service)
             .where(Instance.serial == (parse_serial(serial) or -1),
                    (Instance.applicant == user) | Instance.id.in_(mine))
             .order_by(Instance.id))
    if q:
        query = matching(query, f"%{q.strip()}%")
    return query


def behalf_names(records) -> dict:
    """{user id: name} of the delegators the records acted for (委托: 张三（代李四）)."""
    ids = {r.on_behalf_of for r in records if getattr(r, "on_behalf_of", None)}
    if not ids:
        return {}
    return dict(User.select(User.id, User.name).where(User.id.in_(list(ids))).tuples())
