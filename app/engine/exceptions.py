"""Engine errors: each maps to one HTTP status in the web layer."""


class EngineError(Exception):
    status = 400
    code = "error"

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(EngineError):
    status, code = 404, "not_found"


class NotAllowed(EngineError):
    """The user may not do this (not an assignee, outside the audience, …)."""
    status, code = 403, "forbidden"


class Conflict(EngineError):
    """Someone else acted first, or the item moved on since the user loaded it."""
    status, code = 409, "conflict"


class Invalid(EngineError):
    """Bad input: per-field messages in ``fields``."""
    status, code = 422, "invalid"


class NoAssignee(Invalid):
    """A step's assignee resolved to nobody — an error the admin must fix, never a silent skip."""
    code = "no_assignee"


class TooMany(EngineError):
    """Done too often (催办 at most once an hour per step)."""
    status, code = 429, "too_many_requests"


class StateError(RuntimeError):
    """A transition left an instance in a status the state machine's table does not lead to:
    a programming error (a 500 and a rolled-back transaction), never the user's."""
