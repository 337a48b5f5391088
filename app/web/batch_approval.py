"""批量审批: one item of a bulk action, in its own transaction (the API and the 待办 page).

A failure is a result, never an exception: one item refused never rolls back another.
"""
from app.engine import core, queries
from app.engine.exceptions import EngineError, Invalid
from app.engine.states import Action
from app.web.lookups import visible_instance


def bulk_one(serial, user, action, opinion) -> dict:
    try:
        instance = visible_instance(serial, user)
        sdef = core.service_def(instance)
        step = sdef.step(instance.step) if instance.step else None
        mine = queries.open_task(instance, user) is not None    # else the engine says why not
        if mine and action == Action.APPROVE and step is not None and core.editable_fields(sdef, step):
            raise Invalid("此事项需要在办理页面填写表单，不能批量通过")
        core.act(instance, user, action, opinion=opinion, expected_step=instance.step)
    except EngineError as exc:
        return {"serial": serial, "status": exc.status, "error": exc.message}
    return {"serial": serial, "status": 200, "error": None}
