"""Public pages and error pages answer in Chinese."""

import re

from tests.conftest import csrf_token_from


def test_home_page_gives_the_hotline(client):
    page = client.get("/").get_data(as_text=True)
    assert "0596-8525603" in page and 'lang="zh-CN"' in page


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_oversized_request_gets_a_clear_page(client):
    page = client.get("/staff/login").get_data(as_text=True)
    response = client.post("/staff/login", data={
        "csrf_token": csrf_token_from(page), "username": "x", "password": "y" * (42 * 1024 * 1024),
    })
    assert response.status_code == 413
    assert "太大" in response.get_data(as_text=True)


def test_health_check_touches_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_nothing_on_the_page_comes_from_another_host(client):
    response = client.get("/static/site.css")
    assert response.status_code == 200 and b"font" in response.data
    response.close()
    page = client.get("/").get_data(as_text=True)
    references = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert references and all(ref.startswith(("/", "tel:")) for ref in references), references


def test_pages_forbid_framing_and_foreign_sources(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_staff_pages_are_not_cached(client):
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"


def test_no_page_or_api_answer_is_kept_by_a_cache_but_static_files_are(client):
    for path in ("/", "/report", "/open311/v2/services.json", "/staff/login"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    static = client.get("/static/site.css")
    static.close()  # a file response: closed, or the file stays open
    assert "no-store" not in static.headers.get("Cache-Control", "")
