"""The fragment store (app/web/fragments.py) stays bounded and correct: the page's own URL is
not part of the top bar's key, the least recently used fragment goes first, and threads
sharing the store never lose or mix fragments."""
import threading

from app.web.fragments import _Store, _store


def test_visiting_many_urls_keeps_one_top_bar_per_user_state(app, login_as):
    leader = login_as("t2002")
    leader.get("/me/items?box=todo")
    kept = _store(app.jinja_env)
    before = len(kept)
    for n in range(40):
        html = leader.get(f"/me/items?box=todo&page={n + 1}&q=x{n}").get_data(as_text=True)
    assert len(kept) - before <= 2                      # not one header per URL
    # each page's language links still go back to that page
    assert "next=/me/items?box%3Dtodo%26page%3D40%26q%3Dx39" in html


def test_the_login_link_returns_to_the_page_asked_for(client):
    first = client.get("/services").get_data(as_text=True)
    second = client.get("/").get_data(as_text=True)
    assert 'href="/login?next=/services?"' in first
    assert 'href="/login?next=/?"' in second and "next=/services" not in second


def test_the_least_recently_used_fragment_goes_first():
    kept = _Store(limit=3)
    for key in "abc":
        kept.put(key, key.upper())
    assert kept.get("a") == "A"                         # a is now the most recent
    kept.put("d", "D")
    assert kept.get("b") is None and kept.get("a") == "A" and kept.get("d") == "D"
    assert len(kept) == 3


def test_threads_sharing_the_store_stay_within_the_limit_and_lose_nothing_kept():
    kept = _Store(limit=64)
    errors = []

    def work(worker):
        try:
            for n in range(2000):
                key = (worker, n % 100)
                kept.put(key, f"{worker}-{n % 100}")
                found = kept.get(key)
                if found is not None and found != f"{worker}-{n % 100}":
                    errors.append((key, found))
        except Exception as exc:                        # a dict changed during iteration, …
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(kept) == 64



def test_a_hostile_url_stays_quoted_in_the_top_bar(client):
    html = client.get('/services?q="><script>alert(1)</script>').get_data(as_text=True)
    bar = html[html.index('<header class="topbar">'):html.index("</header>")]
    assert "<script>alert" not in bar
    assert "next=/services?q%3D%22%3E%3Cscript%3Ealert" in bar
