"""The plugin on its own and inside OneHall, with nothing but OneHall's pytest fixtures
(onehall_app, login_as, make_user, load_definition): run `pytest` in this folder."""
import re

import pytest

from onehall_idcard import IdCard, check_char, mask, problem

GOOD, BAD = "11010519491231002X", "110105194912310021"
MASKED = "1101**********002X"

SERVICE = """
format: 1
id: id-proof
number: 950
name: 身份证明开具
category: 综合服务
department: 宣传部
audience: [staff]
title: "{service}_{applicant.name}_{form.idno}"
form:
  title: 身份证明开具申请
  fields:
    - {name: reason, label: 事由, type: text, required: true}
    - {name: idno, label: 身份证号, type: idcard, required: true}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: check, name: 证件核验, by: {id_checker: applicant}}
"""


@pytest.mark.parametrize("first17, expected", [
    ("11010519491231002", "X"),        # the standard's own example
    ("44052418800101001", "4"),
    ("37010219900101123", "1"),
])
def test_check_character(first17, expected):
    assert check_char(first17) == expected


def test_problems_are_worded_for_the_applicant():
    assert problem(GOOD) is None
    assert problem(BAD) == "校验码不正确"
    assert problem(GOOD[:16]) == "身份证号应为18位"
    assert problem(GOOD[:17] + "Y").startswith("身份证号格式不正确")
    assert mask(GOOD) == MASKED


@pytest.fixture
def service(onehall_app, make_user, load_definition):
    make_user("checker", name="核验员甲", roles=["id_checker"])       # 宣传部, like t2001
    make_user("elsewhere", name="核验员乙", department="办公室", roles=["id_checker"])
    return load_definition(SERVICE)


def submit(client, idno):
    return client.post("/services/id-proof/start",
                       data={"reason": "签证", "idno": idno, "op": "submit"})


def test_the_form_shows_the_plugins_widget_and_its_script_under_the_nonce(service, login_as):
    response = login_as("t2001").get("/services/id-proof/start")
    page = response.get_data(as_text=True)
    assert 'data-idcard' in page and 'name="idno"' in page and 'maxlength="18"' in page
    script = re.search(r'<script type="module" src="([^"]+)" nonce="([^"]+)"', page)
    assert script and script.group(1) == "/plugins/static/onehall_idcard/idcard.js"
    assert f"'nonce-{script.group(2)}'" in response.headers["Content-Security-Policy"]
    js = login_as("t2001").get(script.group(1))
    assert js.status_code == 200 and "校验码不正确" in js.get_data(as_text=True)


def test_a_bad_check_digit_is_refused_at_the_field(service, login_as):
    response = submit(login_as("t2001"), BAD)
    assert response.status_code == 422 and "校验码不正确" in response.get_data(as_text=True)


def test_the_checker_of_the_applicants_department_gets_it_masked(service, login_as):
    assert submit(login_as("t2001"), GOOD.lower()).status_code == 302
    items = login_as("checker").get("/api/v1/me/items?box=todo").get_json()["items"]
    assert len(items) == 1 and items[0]["title"].endswith(MASKED)
    serial = items[0]["serial"]
    theirs = login_as("checker").get(f"/api/v1/instances/{serial}").get_json()
    assert theirs["data"]["idno"] == MASKED
    mine = login_as("t2001").get(f"/api/v1/instances/{serial}").get_json()
    assert mine["data"]["idno"] == GOOD                      # normalised (x → X), in full for the owner
    assert login_as("elsewhere").get("/api/v1/me/items?box=todo").get_json()["items"] == []
    page = login_as("checker").get(f"/instances/{serial}").get_data(as_text=True)
    assert MASKED in page and GOOD not in page
    assert "申请人所在单位的证件核验员" in login_as("t2001").get("/services/id-proof").get_data(as_text=True)


def test_the_type_describes_itself():
    info = IdCard().describe()
    assert info["label"] == "身份证号" and info["keys"]["allow_foreign"]["type"] == "boolean"
