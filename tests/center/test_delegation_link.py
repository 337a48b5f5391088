"""个人中心 links to 委托设置."""


def test_boxes_link_to_delegations(app, login_as):
    client = login_as("t2002")
    for url in ("/me/items?box=todo", "/me/items?box=done", "/me/items?box=favorites"):
        html = client.get(url).get_data(as_text=True)
        assert '<a href="/me/delegations" class="delegations-link">委托设置</a>' in html, url
    assert client.get("/me/delegations").status_code == 200
    client.set_cookie("lang", "en")
    assert 'class="delegations-link">Delegation</a>' in client.get("/me/items").get_data(as_text=True)
