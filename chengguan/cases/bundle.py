"""The exchange bundle (docs/case-exchange.md): the JSON Lines of the exchange format plus what a plain file
drops — photos (the files, with their SHA-256) and the links other apps keep per case (a hotline's work-order id,
an Open311 request's token and media_url), so that a migration keeps every photo and hotlines, webhooks and Open311
clients keep working with the cases they know.

A bundle is a directory or a zip with the same content:

    manifest.json    format, version, counts, and each link's configuration (hotline systems with their webhook
                     subscribers, Open311 keys by hash): created on import when missing
    cases.jsonl      one case per line (the exchange format) with two more keys: `photos` and `links`
    media/<sha256>.<ext>   each photo once, named by its hash

Export → import into an empty platform → export gives the same bytes (`tests/test_bundle.py`; 100k cases in
`bench/bundle_roundtrip.py`). The import is the bulk import (validate first, chunks, resumable); photos and links
are written in each chunk's transaction. Photos are restored as they were: the upload quota and the content checks
for new uploads do not apply (the SHA-256 of every file is checked against its line instead).
"""

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.dateparse import parse_datetime

from chengguan.core.errors import DomainError, ValidationError
from chengguan.org.models import User

from .evidence import ALLOWED_FORMATS
from .exchange import _iso, case_record
from .models import Attachment, Case, CaseEvent

FORMAT, VERSION = "chengguan-case-bundle", 1
EXTENSIONS = {content_type: ext for content_type, ext in ALLOWED_FORMATS.values()}
BATCH = 500


@dataclass(frozen=True)
class Link:
    """What another app keeps per case. `export(case_ids) -> {case_id: value}`; `restore(pairs)` gets
    [(case, value)] inside the chunk's transaction; `config()`/`configure(dict)` carry its configuration;
    `check(value)` (optional) refuses a malformed value during validation (raise DomainError)."""

    name: str
    export: object
    restore: object
    config: object
    configure: object
    check: object = None


@dataclass(frozen=True)
class BundleFile:
    """Records another app keeps that belong to no case (e.g. Open311 reports still waiting for a place), in a
    file of their own (`name`, JSON Lines, listed in the manifest with its count). `export() -> iterable of dicts` in a
    stable order; `check(record, manifest)` refuses a malformed record (raise DomainError) before anything is
    written; `restore(records)` writes them in one transaction after the cases, leaving alone what is present,
    and returns how many it wrote."""

    name: str
    export: object
    check: object
    restore: object


LINKS: dict[str, Link] = {}
FILES: dict[str, BundleFile] = {}


def register_link(link: Link) -> None:
    LINKS[link.name] = link


def register_file(file: BundleFile) -> None:
    FILES[file.name] = file


def _user_name(user_id, cache):
    if not user_id:
        return ""
    if user_id not in cache:
        cache[user_id] = User.objects.filter(pk=user_id).values_list("username", flat=True).first() or ""
    return cache[user_id]


def _photo_record(a: Attachment, event_index: dict, users) -> dict:
    return {
        "sha256": a.sha256,
        "file": f"media/{a.sha256}.{EXTENSIONS.get(a.content_type, 'bin')}",
        "kind": a.kind,
        "event": event_index.get(a.event_id),
        "original_name": a.original_name,
        "content_type": a.content_type,
        "size": a.size,
        "width": a.width,
        "height": a.height,
        "taken_at": _iso(a.taken_at),
        "exif_lng": a.exif_lng,
        "exif_lat": a.exif_lat,
        "uploaded_by": _user_name(a.uploaded_by_id, users),
        "uploaded_at": _iso(a.uploaded_at),
    }


def export_bundle(target, *, queryset=None) -> dict:
    """Write a bundle to `target`: a directory, or a zip file when the name ends in .zip. Returns counts."""
    target = Path(target)
    as_zip = target.suffix == ".zip"
    work = Path(tempfile.mkdtemp()) if as_zip else target
    (work / "media").mkdir(parents=True, exist_ok=True)
    qs = (queryset if queryset is not None else Case.objects.all()).order_by("created_at", "pk")
    qs = qs.select_related("matter", "component", "reporter")
    counts, users, written = {"cases": 0, "photos": 0}, {}, set()
    with open(work / "cases.jsonl", "w", encoding="utf-8") as out:
        batch = []
        for case in qs.iterator(chunk_size=BATCH):
            batch.append(case)
            if len(batch) == BATCH:
                _export_batch(batch, out, work, counts, users, written)
                batch = []
        _export_batch(batch, out, work, counts, users, written)
    files = {}
    for name, extra in sorted(FILES.items()):
        with open(work / name, "w", encoding="utf-8") as out:
            files[name] = 0
            for record in extra.export():
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                files[name] += 1
    counts["files"] = files
    manifest = {"format": FORMAT, "version": VERSION, "cases": counts["cases"], "photos": counts["photos"],
                "links": {name: link.config() for name, link in sorted(LINKS.items())}, "files": files}  # fmt: skip
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if as_zip:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as z:
            for path in sorted(work.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(str(path.relative_to(work)), date_time=(1980, 1, 1, 0, 0, 0))
                    z.writestr(info, path.read_bytes())
        shutil.rmtree(work)
    return counts


def _export_batch(cases, out, work, counts, users, written) -> None:
    if not cases:
        return
    ids = [c.pk for c in cases]
    events = {}
    for e in CaseEvent.objects.filter(case_id__in=ids).select_related("actor", "department").order_by("at", "pk"):
        events.setdefault(e.case_id, []).append(e)
    photos = {}
    for a in Attachment.objects.filter(case_id__in=ids).order_by("uploaded_at", "sha256", "pk"):
        photos.setdefault(a.case_id, []).append(a)
    links = {name: link.export(ids) for name, link in sorted(LINKS.items())}
    for case in cases:
        history = events.get(case.pk, [])
        record = case_record(case, history)
        index, n = {}, 0
        for e in history:
            if e.action == "report":
                index[e.pk] = -1
            else:
                index[e.pk] = n
                n += 1
        record["photos"] = [_photo_record(a, index, users) for a in photos.get(case.pk, [])]
        for a, rec in zip(photos.get(case.pk, []), record["photos"], strict=True):
            if rec["file"] not in written:
                with a.file.open("rb") as f:
                    (work / rec["file"]).write_bytes(f.read())
                written.add(rec["file"])
        record["links"] = {name: per_case[case.pk] for name, per_case in links.items() if case.pk in per_case}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        counts["cases"] += 1
        counts["photos"] += len(record["photos"])


def _when(value):
    return parse_datetime(value) if value else None


class PhotoRestorer:
    """The chunk hook of a bundle import: photos (hash checked) and links of the chunk's cases."""

    def __init__(self, root: Path):
        self.root, self.users = root, {}

    def user(self, username):
        if not username:
            return None
        if username not in self.users:
            self.users[username] = User.objects.filter(username=username).first()
        return self.users[username]

    def check(self, line) -> None:
        """Validation (before anything is written): every photo's file exists and has its hash; each link's
        value passes its app's check."""
        for i, p in enumerate(line.data.get("photos") or []):
            path = self.root / str(p.get("file", ""))
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != p.get("sha256"):
                raise ValidationError(f"photo {i + 1}: {p.get('file')} is missing or does not match its SHA-256",
                                      field="photos")  # fmt: skip
        links = line.data.get("links") or {}
        if not isinstance(links, dict):
            raise ValidationError("links must be an object", field="links")
        for name, value in links.items():
            if name in LINKS and LINKS[name].check is not None:
                LINKS[name].check(value)

    def __call__(self, rows) -> None:
        with_photos = [r for r in rows if r.line.data.get("photos")]
        if with_photos:
            event_pks = {}
            ids = [r.case.pk for r in with_photos]
            for case_id, pk, action in CaseEvent.objects.filter(case_id__in=ids).order_by("at", "pk").values_list(
                "case_id", "pk", "action"
            ):
                event_pks.setdefault(case_id, []).append((pk, action))
            for r in with_photos:
                history = event_pks.get(r.case.pk, [])
                report = next((pk for pk, action in history if action == "report"), None)
                others = [pk for pk, action in history if action != "report"]
                for p in r.line.data["photos"]:
                    self._restore(r.case, p, report if p.get("event") == -1 else (
                        others[p["event"]] if isinstance(p.get("event"), int) else None))  # fmt: skip
        for name, link in LINKS.items():
            pairs = [(r.case, r.line.data["links"][name]) for r in rows if name in (r.line.data.get("links") or {})]
            if pairs:
                link.restore(pairs)

    def _restore(self, case, p, event_id) -> None:
        data = (self.root / p["file"]).read_bytes()
        a = Attachment(
            case=case, event_id=event_id, kind=p.get("kind") or "before", original_name=p.get("original_name") or "",
            content_type=p["content_type"], size=p.get("size") or len(data), sha256=p["sha256"],
            width=p.get("width"), height=p.get("height"), taken_at=_when(p.get("taken_at")),
            exif_lng=p.get("exif_lng"), exif_lat=p.get("exif_lat"), uploaded_by=self.user(p.get("uploaded_by")),
            uploaded_at=_when(p.get("uploaded_at")) or case.created_at,
        )  # fmt: skip
        a.file.save(p["file"].rsplit("/", 1)[-1], ContentFile(data), save=False)
        a.save()


def open_bundle(path) -> tuple[Path, bool]:
    """The bundle's directory (a zip is unpacked to a temporary one; the flag says to remove it after)."""
    path = Path(path)
    if path.is_dir():
        return path, False
    work = Path(tempfile.mkdtemp())
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("/") or ".." in Path(name).parts:
                raise ValidationError(f"unsafe path in the bundle: {name}", field="bundle")
        z.extractall(work)
    return work, True


def import_bundle(path, **options) -> dict:
    """Import a bundle with the bulk import (`bulk_import` options: on_error, rejects, dry_run, chunk,
    progress); each link's configuration from the manifest is created first where missing."""
    from .bulk import bulk_import

    root, temporary = open_bundle(path)
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValidationError("not a case bundle (manifest.json names another format)", field="bundle")
        extras = _read_files(root, manifest)  # checked whole before anything is written
        if not options.get("dry_run"):
            for name, config in (manifest.get("links") or {}).items():
                if name in LINKS:
                    LINKS[name].configure(config)
        hook = PhotoRestorer(root)
        result = bulk_import(root / "cases.jsonl", chunk_hook=hook, line_check=hook.check, **options)
        if not options.get("dry_run"):
            with transaction.atomic():
                result["files"] = {name: FILES[name].restore(records) for name, records in extras.items()}
        return result
    finally:
        if temporary:
            shutil.rmtree(root, ignore_errors=True)


def _read_files(root: Path, manifest: dict) -> dict:
    """The records of the manifest's other files, each checked by its app; a bad record refuses the bundle
    (whatever `on_error` says: these records have no case line to be rejected with), naming file, line and field.
    A file no registered app reads is refused too (nothing of a bundle is dropped silently)."""
    out = {}
    for name in sorted(manifest.get("files") or {}):
        if name not in FILES:
            raise ValidationError(f"{name}: no installed app reads this file of the bundle", field="files")
        records = []
        with open(root / name, encoding="utf-8") as f:
            for no, text in enumerate(f, start=1):
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                    if not isinstance(record, dict):
                        raise ValidationError("a line must be a JSON object", field="line")
                    FILES[name].check(record, manifest)
                except ValueError as exc:
                    raise ValidationError(f"{name} line {no}: not valid JSON ({exc})", field="files") from exc
                except DomainError as exc:
                    raise ValidationError(f"{name} line {no}: {exc.message}", field=exc.field or "files") from exc
                records.append(record)
        out[name] = records
    return out
