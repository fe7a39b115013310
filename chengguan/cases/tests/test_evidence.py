"""Photos: type by content, size limit, SHA-256, EXIF time and GPS read — garbage EXIF ignored safely."""

import hashlib
from datetime import datetime

import pytest
from PIL import Image

from chengguan.core.errors import ValidationError

from ..evidence import attachment_create
from .conftest import TZ, Upload, png_bytes


def exif(*, when=None, gps=None):
    data = Image.Exif()
    if when:
        data.get_ifd(0x8769)[36867] = when
    if gps:
        data.get_ifd(0x8825).update(gps)
    return data


@pytest.mark.parametrize(
    "fmt,content_type", [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_it_accepts_the_three_formats_by_content(city, fmt, content_type):
    data = png_bytes(fmt=fmt)
    photo = attachment_create(actor=city["supervisor"], file=Upload(data, "whatever.bin"))
    assert photo.content_type == content_type and photo.size == len(data)
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.file.read() == data


@pytest.mark.parametrize(
    "data",
    [
        png_bytes(fmt="GIF"),
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"\xff\xd8\xff\xe0 truncated jpeg",
        b"",
    ],
)
def test_it_refuses_other_content_whatever_the_name(city, data):
    with pytest.raises(ValidationError) as err:
        attachment_create(actor=city["supervisor"], file=Upload(data, "photo.jpg"))
    assert err.value.field == "photos"


def test_it_refuses_a_photo_over_the_size_limit(city, settings):
    settings.CASES_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as err:
        attachment_create(actor=city["supervisor"], file=Upload(png_bytes(size=(300, 300), fmt="BMP")))
    assert err.value.code == "too_large"


def test_it_reads_exif_time_and_gps(city):
    gps = {1: "N", 2: (34.0, 48.0, 27.0), 3: "E", 4: (114.0, 18.0, 27.0)}
    data = png_bytes(fmt="JPEG", exif=exif(when="2026:03:10 08:41:05", gps=gps))
    photo = attachment_create(actor=city["supervisor"], file=Upload(data))
    assert photo.taken_at == datetime(2026, 3, 10, 8, 41, 5, tzinfo=TZ)
    assert photo.exif_lat == pytest.approx(34.8075) and photo.exif_lng == pytest.approx(114.3075)


@pytest.mark.parametrize(
    "when,gps",
    [
        ("0000:00:00 00:00:00", {1: "N", 2: (0.0, 0.0, 0.0), 3: "E", 4: (0.0, 0.0, 0.0)}),
        ("1850:01:01 00:00:00", {1: "N", 2: (134.0, 0.0, 0.0), 3: "E", 4: (114.0, 0.0, 0.0)}),
        ("yesterday", {2: (1.0, 0.0), 4: (1.0, 2.0)}),
    ],
)
def test_it_ignores_absurd_exif(city, when, gps):
    data = png_bytes(fmt="JPEG", exif=exif(when=when, gps=gps))
    photo = attachment_create(actor=city["supervisor"], file=Upload(data))
    assert (photo.taken_at, photo.exif_lng, photo.exif_lat) == (None, None, None)
