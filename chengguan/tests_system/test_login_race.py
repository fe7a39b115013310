"""Parallel wrong passwords against a real server (runserver, its own threads and database connections), on
SQLite and PostgreSQL: however many arrive at the same instant, at most LOGIN_FAILURE_LIMIT are checked, the
rest are refused unchecked, the right password from the guesser's address is refused afterwards and the owner
from another address still signs in (issue 17, item 1)."""

import json
import re
import threading
from http.client import HTTPConnection
from urllib.parse import urlencode

import pytest

from .figures import record
from .procs import cli_env, fresh_database, run_python
from .test_races import Server

pytestmark = pytest.mark.django_db
PARALLEL = 30
LIMIT = 5


@pytest.fixture
def server(migrated_template, tmp_path):
    with fresh_database(migrated_template, tmp_path, prefix="cg_login") as url:
        env = cli_env(url, tmp_path / "media", CHENGGUAN_TRUSTED_PROXIES=1, CHENGGUAN_LOGIN_FAILURE_LIMIT=LIMIT)
        run_python("from chengguan.org.models import User\n"
                   "User.objects.create_user('racer', password='the-right-one-17')", env)
        srv = Server(env, tmp_path).start()
        try:
            yield srv, env
        finally:
            srv.kill9()


def _csrf(port):
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    conn.close()
    return cookie, token


def _connect(port):
    """Connected ahead (one by one: runserver's listen backlog is small), so the requests race, not the accepts."""
    conn = HTTPConnection("127.0.0.1", port, timeout=120)
    conn.connect()
    return conn


def _login(port, csrf, password, address, conn=None, barrier=None):
    cookie, token = csrf
    body = urlencode({"username": "racer", "password": password, "csrfmiddlewaretoken": token})
    conn = conn or _connect(port)
    if barrier is not None:
        barrier.wait(timeout=60)
    conn.request("POST", "/accounts/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}",
        "X-Forwarded-For": address,
    })
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def test_parallel_wrong_passwords_are_checked_at_most_the_limit(server):
    srv, env = server
    csrf = _csrf(srv.port)
    barrier = threading.Barrier(PARALLEL)
    statuses = []

    def attempt(conn):
        statuses.append(_login(srv.port, csrf, "wrong-guess", "203.0.113.5", conn, barrier))

    threads = [threading.Thread(target=attempt, args=(_connect(srv.port),)) for _ in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert sorted(statuses) == [200] * PARALLEL, statuses  # every one answered, none let in, no 5xx
    right_from_guesser = _login(srv.port, csrf, "the-right-one-17", "203.0.113.5")
    right_from_owner = _login(srv.port, csrf, "the-right-one-17", "10.20.30.40")
    done = run_python("import json\nfrom chengguan.org.models import LoginEvent\n"
                      "q = LoginEvent.objects.filter(username='racer')\n"
                      "print(json.dumps({o: q.filter(outcome=o).count() for o in ('failure', 'locked', 'success')}))",
                      env)
    events = json.loads(done.stdout.strip().splitlines()[-1])
    record("login race: parallel wrong passwords sent / checked", f"{PARALLEL} / {events['failure']}")
    assert events["failure"] == LIMIT, events
    assert events["locked"] == PARALLEL - LIMIT + 1, events  # the rest, and the right password from the guesser
    assert right_from_guesser == 200 and right_from_owner == 302 and events["success"] == 1
