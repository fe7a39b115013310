"""Security basics, proven through the running site: headers on every response, CSRF on every form, session
and token expiry, login lockout, no secret in the repository."""

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from chengguan.org.services import token_create

from .crawl import crawl
from .figures import record

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
REPO = Path(__file__).resolve().parents[2]
PERSONAS = (
    "supervisor", "operator", "shift_leader", "dispatcher", "department_handler", "roads_handler", "officer",
    "assistant", "legal_reviewer", "leader", "admin", "outsider", "nobody",
)


def assert_secure_headers(path, response):
    h = response.headers
    assert h.get("X-Content-Type-Options") == "nosniff", path
    assert h.get("Referrer-Policy") == "same-origin", path
    assert h.get("X-Frame-Options") == "DENY", path
    csp = h.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, path
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "http" not in script_src and "*" not in script_src, f"{path}: scripts only from this site"
    assert "unsafe-eval" not in csp, path


@pytest.fixture
def crawled(city):
    """Every page each persona reaches from the home page (responses and forms), crawled once per test."""
    results = {}
    for name in PERSONAS:
        client = Client()
        client.force_login(city[name])
        pages, forms = crawl(client)
        results[name] = (client, pages, forms)
    anonymous = Client()
    pages, forms = crawl(anonymous, "/accounts/login/")
    results["anonymous"] = (anonymous, pages, forms)
    return results


def test_every_page_each_persona_reaches_has_the_headers_and_every_form_wants_the_csrf_token(city, crawled):
    count = 0
    for _name, (_client, pages, _forms) in crawled.items():
        for path, response in pages.items():
            assert response.status_code < 500, f"{path}: {response.status_code}"
            assert_secure_headers(path, response)
            count += 1
    record("security: pages crawled (persona × page)", count)
    assert count > len(PERSONAS)  # every persona at least reached home and something else

    posted = 0
    for name, (_client, _pages, forms) in crawled.items():
        strict = Client(enforce_csrf_checks=True)
        if name != "anonymous":
            strict.force_login(city[name])
        for form in forms:
            if form.method != "post":
                continue
            fields = {k: v for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
            response = strict.post(form.action, fields)
            assert response.status_code == 403, f"{name}: {form.action} (form on {form.page}) accepted no token"
            posted += 1
    record("security: POST forms refused without CSRF token", posted)
    assert posted >= len(crawled)  # at least the logout/language forms of each persona


def test_it_sends_security_headers_on_api_errors_health_and_not_found(db, client):
    for path in ("/healthz", "/api/v1/openapi.json", "/api/v1/org/me", "/no-such-page/", "/accounts/login/"):
        response = client.get(path)
        assert_secure_headers(path, response)
    assert client.get("/api/v1/org/me").headers["Cache-Control"] == "no-store"


def test_it_refuses_session_authenticated_api_writes_without_the_csrf_token(city):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city["operator"])
    assert strict.get("/api/v1/org/me").status_code == 200  # reading with the session works
    schema = Client().get("/api/v1/openapi.json").json()
    tried = 0
    for path, ops in schema["paths"].items():
        if "{" in path:
            continue
        for method in ("post", "put", "patch", "delete"):
            if method in ops:
                response = getattr(strict, method)(path, data="{}", content_type="application/json")
                assert response.status_code in (401, 403), f"{method.upper()} {path}: {response.status_code}"
                assert "detail" in response.json()
                tried += 1
    record("security: session API writes refused without CSRF", tried)


def test_it_honours_the_session_lifetime(city, client):
    with time_machine.travel(T0, tick=False) as clock:
        response = client.post("/accounts/login/", {"username": "operator", "password": "pw-operator"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        clock.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(seconds=120))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_stops_accepting_an_expired_or_revoked_token(city, client):
    with time_machine.travel(T0, tick=False) as clock:
        token, key = token_create(user=city["operator"], days=2)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        assert client.get("/api/v1/org/me", **auth).status_code == 200
        clock.shift(timedelta(days=2, seconds=1))
        response = client.get("/api/v1/org/me", **auth)
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
        _token, fresh = token_create(user=city["operator"])
        assert client.get("/api/v1/org/me", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 200
        from chengguan.org.services import token_revoke

        token_revoke(token=_token)
        assert client.get("/api/v1/org/me", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 401
        assert client.get("/api/v1/org/me", HTTP_AUTHORIZATION="Bearer cg_forged").status_code == 401


def test_it_locks_an_account_after_repeated_failures_and_lets_it_in_after_the_lock(city, client):
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            response = client.post("/accounts/login/", {"username": "dispatcher", "password": "wrong"})
            assert response.status_code == 200
        # the right password is refused while locked, with a message saying so
        response = client.post("/accounts/login/", {"username": "dispatcher", "password": "pw-dispatcher"})
        assert response.status_code == 200 and response.context["locked_until"] is not None
        assert client.get("/").status_code == 302
        # other accounts are not affected, nor the same account from another address
        assert Client(REMOTE_ADDR="10.0.0.99").post(
            "/accounts/login/", {"username": "dispatcher", "password": "pw-dispatcher"}).status_code == 302
        other = Client()
        assert other.post("/accounts/login/", {"username": "operator", "password": "pw-operator"}).status_code == 302
        clock.shift(timedelta(minutes=settings.LOGIN_LOCK_MINUTES, seconds=1))
        response = client.post("/accounts/login/", {"username": "dispatcher", "password": "pw-dispatcher"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200


SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
    "Chengguan API token": re.compile(r"\bcg_[A-Za-z0-9_-]{43}\b"),
    "password in a database URL": re.compile(
        r"postgres(?:ql)?://[^:/@\s]+:(?!pass@|password@|PASSWORD@|change-me@|\*|\$\{|\$[A-Z_]+@)[^@\s]{3,}@"
    ),  # placeholders (${VAR}, $VAR, change-me) are not secrets
    "hard-coded Django secret": re.compile(r"SECRET_KEY\s*=\s*[\"'](?![^\"']*(?:insecure|test|not-a-secret|help-only))[^\"']{20,}[\"']"),
    "map tile key": re.compile(r"[?&]tk=[0-9a-f]{32}\b"),
}


def test_it_keeps_no_secret_in_the_repository():
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO, capture_output=True, check=True,
        ).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git work tree: nothing to scan")
    findings, scanned = [], 0
    for name in filter(None, listed):
        path = REPO / name
        if not path.is_file() or path.suffix in {".mo", ".png", ".jpg", ".docx", ".xlsx", ".sqlite3", ".gz"}:
            continue
        if path.stat().st_size > 5_000_000:
            continue
        text = path.read_text("utf-8", errors="ignore")
        scanned += 1
        for label, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                findings.append(f"{name}: {label}: {match.group(0)[:40]}")
    record("security: files scanned for secrets", scanned)
    assert not findings, "\n".join(findings)
    for tracked in ("var/secret_key", ".env"):
        assert tracked not in listed, f"{tracked} must never be committed"


def test_it_recognises_the_secrets_it_looks_for():
    # The scanner itself must be able to fail (a pattern that matches nothing proves nothing).
    # (assembled at run time so that this file itself contains no sample secret)
    samples = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "AWS access key": "AKIA" + "ABCDEFGHIJKLMNOP",
        "Chengguan API token": "cg_" + "a" * 43,
        "password in a database URL": "postgresql://app:" + "s3cr3t-pw@db/chengguan",
        "hard-coded Django secret": "SECRET_KEY = " + '"k8#2lq9x!v0z7w1m3n5b6c4d8f0g2h4j"',
    }
    for label, sample in samples.items():
        assert SECRET_PATTERNS[label].search(sample), label
    assert not SECRET_PATTERNS["password in a database URL"].search("postgresql://postgres@127.0.0.1:5432/test")
    for placeholder in ("${POSTGRES_PASSWORD}", "$PW", "change-me"):  # examples in deploy files, not secrets
        assert not SECRET_PATTERNS["password in a database URL"].search("postgresql://app:" + placeholder + "@db/x")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def test_no_template_needs_an_inline_script_the_policy_would_block():
    """The Content-Security-Policy refuses inline scripts and event handlers; a page that used one would
    silently break in the browser. JavaScript belongs in static files (see docs/security.md)."""
    found = []
    for path in sorted((REPO / "chengguan").rglob("templates/**/*.html")):
        text = path.read_text("utf-8", errors="ignore")
        for pattern, what in ((INLINE_SCRIPT, "inline <script>"), (INLINE_HANDLER, "inline event handler")):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(REPO)}:{line}: {what}")
    assert INLINE_HANDLER.search('<button type="button" onclick="x()">')  # the scanner can fail
    assert INLINE_SCRIPT.search("<script>alert(1)</script>") and not INLINE_SCRIPT.search('<script src="a.js">')
    assert not found, "\n".join(found)
