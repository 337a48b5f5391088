"""The builder's small changes: JSON Patch (RFC 6902) over a definition."""
import pytest

from designer.jsonpatch import PatchError, apply

DOC = {"form": {"fields": [{"name": "a"}, {"name": "b"}]}, "steps": [{"id": "fill"}]}


def test_add_remove_replace_move_copy_test():
    out = apply(DOC, [
        {"op": "add", "path": "/form/fields/-", "value": {"name": "c"}},
        {"op": "add", "path": "/form/fields/0", "value": {"name": "z"}},
        {"op": "remove", "path": "/form/fields/1"},
        {"op": "replace", "path": "/steps/0/id", "value": "start"},
        {"op": "move", "from": "/form/fields/2", "path": "/form/fields/0"},
        {"op": "copy", "from": "/steps/0", "path": "/steps/-"},
        {"op": "add", "path": "/time_limit", "value": "3天"},
        {"op": "test", "path": "/time_limit", "value": "3天"},
    ])
    assert [f["name"] for f in out["form"]["fields"]] == ["c", "z", "b"]
    assert out["steps"] == [{"id": "start"}, {"id": "start"}] and out["time_limit"] == "3天"
    assert DOC["form"]["fields"] == [{"name": "a"}, {"name": "b"}]            # the input is untouched


@pytest.mark.parametrize("ops", [
    [{"op": "remove", "path": "/form/fields/5"}],
    [{"op": "replace", "path": "/nope", "value": 1}],
    [{"op": "test", "path": "/steps/0/id", "value": "other"}],
    [{"op": "frobnicate", "path": "/steps"}],
    [{"op": "add", "path": "steps"}],
    {"op": "add"},
])
def test_bad_patches_are_refused(ops):
    with pytest.raises(PatchError):
        apply(DOC, ops)
