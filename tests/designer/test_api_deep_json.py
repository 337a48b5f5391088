"""The designer's JSON API answers over-deep JSON with 400, like /api/v1 (issue 12)."""


def test_over_deep_json_to_the_designer_api_is_400_not_500(login_as):
    admin = login_as("admin")
    for path in ("/designer/api/drafts/", "/designer/api/drafts/weekly-report/"):
        response = admin.post(path, data="[" * 100_000, content_type="application/json")
        assert response.status_code == 400, (path, response.status_code)
