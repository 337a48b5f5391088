"""Who may print or export an instance, and whose services a bulk export may cover.

Printing follows the definition: service-level ``print: {who: …}`` (default
``participants``) and step-level ``print: false`` (nobody but admins while the instance is
at that step). Admins may always print: they can see every instance and export it in bulk.
People who cannot see an instance at all get 404 from the routes, like its page.
"""
from app.people.roles import managed_departments
from app.engine import queries
from app.engine.core import FINISHED
from plugins.print_rules import PRINT_RULES, print_rule  # noqa: F401  (their home before)

def step_forbids(instance, sdef) -> bool:
    if instance.status in FINISHED or not instance.step:
        return False
    step = sdef.step(instance.step)
    return step is not None and not step.print


def may_print(instance, sdef, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if queries.is_admin(user):
        return True
    if step_forbids(instance, sdef):
        return False
    return PRINT_RULES.get(sdef.print_who)(instance, user)


# ---------------------------------------------------------------- bulk export

def admin_departments(user) -> set[str] | None:
    """None for a system admin (every service); else the departments the user is dept_admin of."""
    return managed_departments(user)


def may_export_service(user, service) -> bool:
    departments = admin_departments(user)
    return departments is None or service.department in departments


def exportable_services(user):
    from app.models import Service
    departments = admin_departments(user)
    query = Service.select().order_by(Service.number)
    if departments is not None:
        query = query.where(Service.department.in_(sorted(departments) or [""]))
    return list(query)
