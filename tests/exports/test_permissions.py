"""Who may print and export (the definition's print: rules) and how the buttons show it."""
import re

import pytest

ROUTES = ("print", "export.pdf", "export.docx")
BUTTONS = ("打印", "导出PDF", "导出Word")


def statuses(client, serial, routes=ROUTES):
    return [client.get(f"/instances/{serial}/{r}").status_code for r in routes]


def buttons(client, serial):
    """{label: True when usable, False when grey} on the instance page."""
    html = client.get(f"/instances/{serial}").get_data(as_text=True)
    box = re.search(r'<div class="actions export-buttons">(.*?)</div>', html, re.S).group(1)
    out = {}
    for label in BUTTONS:
        if re.search(rf'<a class="btn" href="[^"]+"[^>]*>{label}</a>', box):
            out[label] = True
        elif re.search(rf'<span class="btn disabled" aria-disabled="true" title="无权限">{label}</span>', box):
            out[label] = False
    return out


def test_by_default_the_applicant_and_participants_may(start_trip, login_as):
    trip = start_trip()
    for username in ("t2001", "t2002", "t3001"):          # applicant, assignee, CC
        client = login_as(username)
        assert buttons(client, trip.serial) == dict.fromkeys(BUTTONS, True)
        assert statuses(client, trip.serial, ("print", "export.docx")) == [200, 200]


def test_people_who_cannot_see_the_instance_get_404(start_trip, login_as, app):
    trip = start_trip()
    assert statuses(login_as("s2023001"), trip.serial) == [404, 404, 404]
    response = app.test_client().get(f"/instances/{trip.serial}/export.pdf")
    assert response.status_code in (302, 401)                      # anonymous: sign in first


def test_admins_may_always_print(start_trip, login_as):
    trip = start_trip(service_print="applicant", leader_print="false")
    client = login_as("admin")
    assert buttons(client, trip.serial) == dict.fromkeys(BUTTONS, True)
    assert statuses(client, trip.serial, ("print",)) == [200]


def test_who_applicant(start_trip, login_as):
    trip = start_trip(service_print="applicant")
    leader = login_as("t2002")
    assert buttons(leader, trip.serial) == dict.fromkeys(BUTTONS, False)
    assert statuses(leader, trip.serial) == [403, 403, 403]
    assert statuses(login_as("t2001"), trip.serial, ("print",)) == [200]


def test_who_assignees_excludes_cc(start_trip, login_as):
    trip = start_trip(service_print="assignees")
    assert statuses(login_as("t3001"), trip.serial, ("print",)) == [403]     # CC only
    assert statuses(login_as("t2002"), trip.serial, ("print",)) == [200]     # the leader's task


def test_who_admins(start_trip, login_as):
    trip = start_trip(service_print="admins")
    assert statuses(login_as("t2001"), trip.serial) == [403, 403, 403]
    assert "无权限" in login_as("t2001").get(f"/instances/{trip.serial}").get_data(as_text=True)


def test_a_step_may_forbid_printing_while_the_instance_is_there(app, start_trip, login_as, user):
    from app.engine import core
    trip = start_trip(leader_print="false")
    applicant = login_as("t2001")
    assert buttons(applicant, trip.serial) == dict.fromkeys(BUTTONS, False)
    assert statuses(applicant, trip.serial) == [403, 403, 403]
    with app.app_context():
        core.act(core.get_instance(trip.serial), user("t2002"), "approve")
    assert buttons(applicant, trip.serial) == dict.fromkeys(BUTTONS, True)
    assert statuses(applicant, trip.serial, ("print",)) == [200]


@pytest.mark.parametrize("bad", ["{who: everyone}", "{who: [applicant]}", "{whom: applicant}", "yes"])
def test_bad_print_rules_are_refused_with_their_position(bad):
    from app.defs import validate_text
    from app.defs.exceptions import DefinitionError
    from tests.exports.conftest import TRIP
    text = TRIP.replace("PRINT_RULES", f"print: {bad}")
    with pytest.raises(DefinitionError) as info:
        validate_text(text, "trip.yaml")
    assert "print" in str(info.value) and "trip.yaml:" in str(info.value)


def test_step_print_must_be_a_boolean():
    from app.defs import validate_text
    from app.defs.exceptions import DefinitionError
    from tests.exports.conftest import trip_definition
    with pytest.raises(DefinitionError, match="print"):
        validate_text(trip_definition(leader_print="sometimes"), "trip.yaml")


def test_print_rules_survive_compile_export_and_storage():
    from app.defs import ServiceDef, digest, to_yaml, validate_text
    from tests.exports.conftest import TRIP, trip_definition
    plain = validate_text(TRIP.replace("PRINT_RULES", ""))
    assert plain.print_who == "participants" and all(s.print for s in plain.steps)
    assert "print" not in plain.to_dict()                      # digests of older definitions stay
    ruled = validate_text(trip_definition("assignees", "false"))
    assert ruled.print_who == "assignees" and ruled.step("leader").print is False
    assert ServiceDef.from_dict(ruled.to_dict()) == ruled
    assert digest(validate_text(to_yaml(ruled))) == digest(ruled)
