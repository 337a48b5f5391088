"""Print rules: who may print an instance of a service whose definition says
``print: {who: NAME}``. A plugin adds one with ``plugins.api.print_rule``; the definition
checks (app.defs.metaschema) read the names from here, the print pages
(app.exports.policy) call them.
"""
from app.engine import queries
from app.models import Task
from plugins.registry import Registry

PRINT_RULES = Registry("print rule")
print_rule = PRINT_RULES.register


@print_rule("participants")
def _participants(instance, user) -> bool:
    """The applicant and everyone who holds or held a task on it, CC included."""
    return queries.is_participant(instance, user)


@print_rule("assignees")
def _assignees(instance, user) -> bool:
    """The applicant and those who hold or held a 办理 task (not CC)."""
    return instance.applicant_id == user.id or Task.select().where(
        Task.instance == instance, Task.assignee == user, Task.kind == "do").exists()


@print_rule("applicant")
def _applicant(instance, user) -> bool:
    return instance.applicant_id == user.id


@print_rule("admins")
def _admins_only(instance, user) -> bool:
    return False
