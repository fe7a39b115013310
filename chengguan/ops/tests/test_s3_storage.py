"""In-process checks of the object-storage mode against moto's S3 server on 127.0.0.1: the photo view redirects
to a short-lived signed URL only after the platform's check, and backup/restore carry the bucket's files."""

import hashlib

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from chengguan.cases.testing import Upload, png_bytes
from chengguan.core.backup import create_backup, restore_backup
from chengguan.core.mediastore import local_media_root, storage_files

from . import s3server


@pytest.fixture(scope="module")
def s3():
    with s3server.moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3, settings):
    name = s3server.new_bucket(s3)
    settings.STORAGES = s3server.storages_setting(s3, name)
    assert local_media_root() is None  # really the object store
    return name


@pytest.mark.django_db
def test_a_signed_url_is_handed_out_only_after_the_check(bucket, s3, city, client, settings):
    from chengguan.cases.evidence import attachment_create

    settings.MEDIA_SERVING = "signed-url"
    photo = png_bytes(color=(1, 2, 3))
    attachment = attachment_create(actor=city["supervisor"], file=Upload(photo), kind="before")
    client.force_login(city["supervisor"])
    answer = client.get(f"/cases/photos/{attachment.pk}/")
    assert answer.status_code == 302 and answer["Cache-Control"] == "private, no-store"
    signed = answer["Location"]
    assert signed.startswith(f"{s3}/{bucket}/") and "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
    fetched = requests.get(signed, timeout=30)
    assert fetched.status_code == 200 and fetched.content == photo
    assert requests.get(signed.split("?")[0], timeout=30).status_code == 403  # unsigned: refused by the store
    client.force_login(city["outsider"])
    assert client.get(f"/cases/photos/{attachment.pk}/").status_code == 404  # no URL for an outsider


@pytest.mark.django_db
def test_backup_and_restore_cover_the_bucket(bucket, city, tmp_path):
    default_storage.save("cases/2026/12/a.png", ContentFile(png_bytes(color=(9, 9, 9))))
    default_storage.save("documents/x/决定书.docx", ContentFile(b"docx bytes"))
    before = {n: hashlib.sha256(default_storage.open(n).read()).hexdigest() for n in storage_files(default_storage)}
    assert len(before) == 2
    result = create_backup(tmp_path / "b.tar.gz")
    assert result.files == 2
    for name in before:
        default_storage.delete(name)
    default_storage.save("cases/2026/12/a.png", ContentFile(b"changed since the backup"))
    restored = restore_backup(result.path, replace=True)
    assert restored.files == 2
    after = {n: hashlib.sha256(default_storage.open(n).read()).hexdigest() for n in storage_files(default_storage)}
    assert after == before
