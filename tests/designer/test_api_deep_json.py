"""The designer's JSON API answers over-deep JSON with 400, like /api/v1 (issue 12)."""
from tests.designer.conftest import draft_id_of, draft_url


def test_over_deep_json_to_the_designer_api_is_400_not_500(login_as, service):
    admin = login_as("admin")
    api = f"/designer/builder/api/{draft_id_of(draft_url(admin, service('weekly-report')))}"
    for path in ("/designer/builder/api/new", api, api + "/schema", api + "/publish"):
        response = admin.post(path, data="[" * 100_000, content_type="application/json")
        assert response.status_code == 400, (path, response.status_code)
        assert response.get_json()["error"] == "bad_request"
