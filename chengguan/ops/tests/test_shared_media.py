"""Media in S3-compatible object storage (moto's server on 127.0.0.1): two `chengguan serve` processes share
one bucket; the platform still decides who reads a photo; backup and restore cover the bucket."""

import re
import subprocess
import time

import pytest
import requests

from chengguan.cases.testing import png_bytes
from chengguan.tests_system.procs import cli, cli_env, free_port, fresh_database, run_cli, run_python

from . import s3server

pytestmark = pytest.mark.django_db  # the test database is the template the processes' databases copy

SETUP_USERS = """
from chengguan.org.models import User
User.objects.create_user("uploader", password="x-not-used-1")
User.objects.create_user("stranger", password="x-not-used-2")
"""


@pytest.fixture(scope="module")
def s3():
    with s3server.moto_server() as endpoint:
        yield endpoint


def wait_until_up(base: str, proc, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read()}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not answer /healthz")


def test_two_web_processes_share_one_bucket_and_still_check_who_reads(s3, migrated_template, tmp_path):
    bucket = s3server.new_bucket(s3)
    with fresh_database(migrated_template, tmp_path, prefix="ops_media") as url:
        env = cli_env(url, tmp_path / "media", CHENGGUAN_SECRET_KEY="k" * 50,
                      CHENGGUAN_ALLOWED_HOSTS="127.0.0.1", **s3server.env_for(s3, bucket))
        run_python(SETUP_USERS, env)
        uploader = run_cli(["token", "create", "--user", "uploader"], env).stdout.strip()
        stranger = run_cli(["token", "create", "--user", "stranger"], env).stdout.strip()
        run_cli(["collectstatic", "--noinput", "-v0"], env)  # once for both servers (same VAR_DIR)
        servers = []
        try:
            for _ in range(2):
                port = free_port()
                proc = subprocess.Popen(
                    cli("serve", "--port", str(port), "--workers", "2", "--threads", "2"),
                    env=env,  # the metrics directory is per port under the shared VAR_DIR
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                )
                servers.append((f"http://127.0.0.1:{port}", proc))
            for base, proc in servers:
                wait_until_up(base, proc)
            (a, _), (b, _) = servers
            photo = png_bytes(color=(10, 200, 30), size=(16, 16))
            up = requests.post(f"{a}/api/v1/cases/attachments", headers={"Authorization": f"Bearer {uploader}"},
                               files={"file": ("street.png", photo, "image/png")}, timeout=30)
            assert up.status_code == 201, up.text
            pk = up.json()["id"]

            got = requests.get(f"{b}/cases/photos/{pk}/", headers={"Authorization": f"Bearer {uploader}"}, timeout=30)
            assert got.status_code == 200 and got.content == photo  # uploaded through A, served by B
            assert got.headers["Cache-Control"].startswith("private")
            for headers in ({"Authorization": f"Bearer {stranger}"}, {}):  # outsider and anonymous
                assert requests.get(f"{b}/cases/photos/{pk}/", headers=headers, timeout=30).status_code == 404
            keys = [o["Key"] for o in s3server.client(s3).list_objects_v2(Bucket=bucket).get("Contents", [])]
            assert len(keys) == 1 and keys[0].endswith(".png")
            assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.png"))
            # the bucket is private: the object's plain URL is refused
            assert requests.get(f"{s3}/{bucket}/{keys[0]}", timeout=30).status_code == 403

            # the production server serves its own static files, hashed, compressed, cached for a year
            page = requests.get(f"{b}/accounts/login/", timeout=30)
            assert page.status_code == 200
            css = re.search(r'href="(/static/core/chengguan\.[0-9a-f]{12}\.css)"', page.text).group(1)
            style = requests.get(f"{b}{css}", headers={"Accept-Encoding": "gzip"}, timeout=30)
            assert style.status_code == 200 and style.headers["Content-Type"].startswith("text/css")
            assert "immutable" in style.headers["Cache-Control"] and style.headers["Content-Encoding"] == "gzip"
            # /metrics from this machine, counting requests across the server's worker processes
            for _ in range(4):
                requests.get(f"{a}/healthz", timeout=30)
            metrics = requests.get(f"{a}/metrics", timeout=30)
            assert metrics.status_code == 200
            healthz = re.search(r'chengguan_http_requests_total\{method="GET",status="200",view="healthz"\} (\S+)',
                                metrics.text)
            assert healthz and float(healthz.group(1)) >= 5  # wait_until_up's probe + 4
            assert "chengguan_cases_open 0.0" in metrics.text
            assert requests.get(f"{a}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=30).status_code == 403
        finally:
            for _, proc in servers:
                proc.terminate()
                proc.wait(timeout=30)
