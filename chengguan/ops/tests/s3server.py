"""An S3-compatible server speaking real HTTP on 127.0.0.1 for the tests: moto in server mode (from PyPI, no
download at run time), started on a free port and stopped afterwards."""

import contextlib
import socket
import subprocess
import sys
import time
import uuid

from chengguan.tests_system.procs import free_port

KEYS = {"CHENGGUAN_S3_ACCESS_KEY": "testing-access", "CHENGGUAN_S3_SECRET_KEY": "testing-secret"}


@contextlib.contextmanager
def moto_server():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("moto server did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def client(endpoint: str):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=KEYS["CHENGGUAN_S3_ACCESS_KEY"], aws_secret_access_key=KEYS["CHENGGUAN_S3_SECRET_KEY"],
    )


def new_bucket(endpoint: str) -> str:
    name = f"cg-{uuid.uuid4().hex[:12]}"
    client(endpoint).create_bucket(Bucket=name)
    return name


def env_for(endpoint: str, bucket: str, **extra) -> dict:
    return {
        "CHENGGUAN_MEDIA_STORAGE": "s3", "CHENGGUAN_S3_BUCKET": bucket, "CHENGGUAN_S3_ENDPOINT_URL": endpoint,
        "CHENGGUAN_S3_REGION": "us-east-1", "CHENGGUAN_S3_ADDRESSING_STYLE": "path", **KEYS, **extra,
    }


def storages_setting(endpoint: str, bucket: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1",
                "access_key": KEYS["CHENGGUAN_S3_ACCESS_KEY"], "secret_key": KEYS["CHENGGUAN_S3_SECRET_KEY"],
                "addressing_style": "path", "signature_version": "s3v4", "default_acl": None,
                "querystring_auth": True, "querystring_expire": 60, "file_overwrite": False, **options,
            },
        },
        "staticfiles": {"BACKEND": "chengguan.ops.staticfiles.StaticStorage"},
    }
