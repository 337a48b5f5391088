"""No id a client can send gives a 500: every route with an ``int`` or ``path`` part is walked
with ids past what a database column holds, negative ones and absurd ones."""
import re

import pytest

from werkzeug.routing import IntegerConverter, PathConverter

from app.people.directory import new_token

HUGE = ("9223372036854775808", "99999999999999999999999", "-1", "0",
        "18446744073709551616", "9" * 400)
PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def walked_rules(app):
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, (IntegerConverter, PathConverter)) for c in rule._converters.values()):
            yield rule


def urls_for(rule):
    """The rule's path with every int/path part set to each huge value (other parts: a word)."""
    for value in HUGE:
        def fill(match):
            converter = match.group(1) or "default"
            return value if converter in ("int", "path") else "x"
        yield PART.sub(fill, rule.rule)


def test_the_int_converter_is_bounded_app_wide(app):
    kinds = {type(c).__name__ for r in app.url_map.iter_rules() for c in r._converters.values()}
    assert "IntegerConverter" not in kinds and "BoundedIntegerConverter" in kinds


@pytest.mark.parametrize("who", ["admin", "t2001", None])
def test_no_route_answers_a_huge_or_negative_id_with_a_500(app, login_as, user, who):
    web = login_as(who) if who else app.test_client()
    token = new_token(user(who)) if who else None
    rules = list(walked_rules(app))
    assert len(rules) > 30                    # the walk reaches the app's routes, not a few
    failures = []
    for rule in rules:
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for url in urls_for(rule):
            for method in methods:
                headers = {"Authorization": f"Bearer {token}"} if token and url.startswith("/api/") else {}
                response = web.open(url, method=method, headers=headers, data={},
                                    follow_redirects=False)
                if response.status_code >= 500:
                    failures.append(f"{method} {url} → {response.status_code}")
    assert not failures, "\n".join(failures[:20])


def bearer(user, who):
    return {"Authorization": f"Bearer {new_token(user(who))}"}


def test_the_reported_delegation_id_is_a_404(client, user):
    auth = bearer(user, "t2001")
    response = client.delete("/api/v1/me/delegations/9223372036854775808", headers=auth)
    assert response.status_code == 404 and response.json["error"] == "not_found"
    assert client.delete("/api/v1/me/delegations/-5", headers=auth).status_code == 404


def test_an_id_in_range_still_routes(client, user):
    response = client.delete("/api/v1/me/delegations/9223372036854775807", headers=bearer(user, "t2001"))
    assert response.status_code == 404 and "委托不存在" in response.json["message"]


@pytest.mark.parametrize("who", ["admin", "t1001"])          # a system admin, a dept_admin
def test_designer_lists_and_rows_take_huge_ids_and_pages(app, login_as, who):
    """Flask-Admin reads ids and pages from the query string: the same bound there."""
    web = login_as(who)
    failures, walked = [], 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/designer") or "<" in rule.rule or "GET" not in rule.methods:
            continue
        walked += 1
        for query in ("?id=9223372036854775808", "?id=-1", "?page=99999999999999999999",
                      "?page=-3", "?id=99999999999999999999999"):
            response = web.get(rule.rule + query)
            if response.status_code >= 500:
                failures.append(f"{rule.rule}{query} → {response.status_code}")
    assert walked > 10 and not failures, "\n".join(failures)


QUERY_PAGES = ["/me/items?page=99999999999999999999", "/me/items?box=todo&serial=99999999999999999999",
               "/me/notifications?page=99999999999999999999", "/me/notifications?page=-7",
               "/services?page=99999999999999999999", "/me/items?page=-5",
               "/services/weekly-report/start?from=99999999999999999999"]
API_QUERIES = ["/api/v1/me/items?page=99999999999999999999", "/api/v1/me/items?serial=99999999999999999999",
               "/api/v1/me/items?page=-1"]


def test_huge_numbers_in_query_strings_are_no_500(login_as, client, user):
    web = login_as("t2001")
    failures = [u for u in QUERY_PAGES if web.get(u).status_code >= 500]
    auth = bearer(user, "t2001")
    failures += [u for u in API_QUERIES if client.get(u, headers=auth).status_code >= 500]
    admin = login_as("admin")
    failures += [u for u in ("/admin/notifications?page=99999999999999999999",
                             "/ratings?page=99999999999999999999")
                 if admin.get(u).status_code >= 500]
    assert not failures, failures
