"""The rest of this app's part of the exchange bundle (registered in bundle_links.py): a closed case's satisfaction
rating (回访) and the citizen points its actions earned (links `satisfaction` and `points`), and the Open311
submissions that never became a case — address-only reports still waiting for a place, or discarded — in
`open311_pending.jsonl`, with their tokens: after a migration `tokens/{token}` keeps answering "pending" (or
expired, or unknown-because-discarded) exactly as it did, and an operator can still place a pending one.

Each value is checked before anything is written (a malformed one refuses its line, or the bundle for the
pending file, naming the field); restoring writes rows as they were, never through the services (no points are
awarded twice, no rating needs a call-back)."""

from django.utils.dateparse import parse_datetime

from chengguan.cases.exchange_marks import exchange_time as _iso
from chengguan.catalog.models import MatterType
from chengguan.core.errors import ValidationError
from chengguan.org.models import User

from .models import Open311Key, Open311Submission, PointsEntry, Satisfaction

SUBMISSION_FIELDS = ("token", "status", "lat", "long", "address_string", "address_id", "description", "first_name",
                     "last_name", "email", "phone", "device_id", "account_id", "media_url", "attributes",
                     "discard_reason")  # fmt: skip


def _when(value):
    return parse_datetime(value) if value else None


def _users(usernames) -> dict:
    return {u.username: u for u in User.objects.filter(username__in={n for n in usernames if n})}


def _need_time(value, field, *, optional=False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str) or parse_datetime(value) is None:
        raise ValidationError(f"{field} must be an ISO 8601 time, not {value!r}", field=field)


def _need_text(d, field, model, *, required=False) -> None:
    value = d.get(field, "")
    limit = model._meta.get_field(field).max_length
    if not isinstance(value, str) or (required and not value) or (limit and len(value) > limit):
        raise ValidationError(f"{field} must be a text of at most {limit} characters", field=field)


# ---- satisfaction ratings --------------------------------------------------------------------------------------


def satisfaction_export(case_ids) -> dict:
    rows = Satisfaction.objects.filter(case_id__in=case_ids).select_related("recorded_by")
    return {
        r.case_id: {
            "score": r.score,
            "comment": r.comment,
            "channel": r.channel,
            "rated_at": _iso(r.rated_at),
            "recorded_by": r.recorded_by.username if r.recorded_by_id else "",
        }  # fmt: skip
        for r in rows
    }


def satisfaction_check(d) -> None:
    if not isinstance(d, dict):
        raise ValidationError("links.satisfaction must be an object", field="satisfaction")
    if d.get("score") not in Satisfaction.Score.values:
        raise ValidationError(f"score must be one of {', '.join(Satisfaction.Score.values)}", field="score")
    if d.get("channel") not in Satisfaction.Channel.values:
        raise ValidationError(
            f"channel must be one of {', '.join(Satisfaction.Channel.values)}", field="channel"
        )
    _need_text(d, "comment", Satisfaction)
    _need_time(d.get("rated_at"), "rated_at")


def satisfaction_restore(pairs) -> None:
    users = _users(d.get("recorded_by") for _case, d in pairs)
    Satisfaction.objects.bulk_create(
        [
            Satisfaction(
                case=case,
                score=d["score"],
                comment=d.get("comment") or "",
                channel=d["channel"],
                recorded_by=users.get(d.get("recorded_by")),
                rated_at=_when(d["rated_at"]),
            )  # fmt: skip
            for case, d in pairs
        ]
    )


# ---- citizen points earned by a case ---------------------------------------------------------------------------


def points_export(case_ids) -> dict:
    out = {}
    rows = PointsEntry.objects.filter(case_id__in=case_ids).select_related("recorded_by")
    for p in rows.order_by("at", "reason", "pk"):
        out.setdefault(p.case_id, []).append(
            {
                "phone": p.phone,
                "reason": p.reason,
                "points": p.points,
                "at": _iso(p.at),
                "recorded_by": p.recorded_by.username if p.recorded_by_id else "",
            }  # fmt: skip
        )
    return out


def points_check(entries) -> None:
    if not isinstance(entries, list):
        raise ValidationError("links.points must be a list", field="points")
    seen = set()
    for d in entries:
        if (
            not isinstance(d, dict)
            or not isinstance(d.get("points"), int)
            or isinstance(d.get("points"), bool)
        ):
            raise ValidationError("each points entry needs whole `points`", field="points")
        _need_text(d, "phone", PointsEntry, required=True)
        _need_text(d, "reason", PointsEntry, required=True)
        _need_time(d.get("at"), "at")
        if (d["phone"], d["reason"]) in seen:  # the ledger gives a reward once per case and reason
            raise ValidationError(f"points for {d['reason']!r} appear twice", field="points")
        seen.add((d["phone"], d["reason"]))


def points_restore(pairs) -> None:
    users = _users(d.get("recorded_by") for _case, entries in pairs for d in entries)
    PointsEntry.objects.bulk_create(
        [
            PointsEntry(
                case=case,
                phone=d["phone"],
                reason=d["reason"],
                points=d["points"],
                at=_when(d["at"]),
                recorded_by=users.get(d.get("recorded_by")),
            )  # fmt: skip
            for case, entries in pairs
            for d in entries
        ]
    )


# ---- Open311 submissions: the record of a case's, and those that never became a case --------------------------


def submission_record(s: Open311Submission) -> dict:
    return {**{f: getattr(s, f) for f in SUBMISSION_FIELDS}, "key": s.key.name, "service_code": s.matter.code,
            "received_at": _iso(s.received_at), "placed_by": s.placed_by.username if s.placed_by_id else "",
            "placed_at": _iso(s.placed_at)}  # fmt: skip


def open311_pending_export():
    """Every submission without a case (pending or discarded address-only reports), oldest first."""
    rows = Open311Submission.objects.filter(case__isnull=True).select_related("key", "matter", "placed_by")
    for s in rows.order_by("received_at", "token").iterator(chunk_size=2000):
        yield submission_record(s)


def open311_pending_check(d, manifest) -> None:
    _need_text(d, "token", Open311Submission, required=True)
    if d.get("status") not in Open311Submission.Status.values:
        raise ValidationError(
            f"status must be one of {', '.join(Open311Submission.Status.values)}", field="status"
        )
    keys = {k.get("name") for k in ((manifest.get("links") or {}).get("open311") or {}).get("keys", [])}
    if d.get("key") not in keys and not Open311Key.objects.filter(name=d.get("key")).exists():
        raise ValidationError(
            f"unknown Open311 key {d.get('key')!r} (not in the manifest nor here)", field="key"
        )
    if not MatterType.objects.filter(code=d.get("service_code")).exists():
        raise ValidationError(f"unknown service_code {d.get('service_code')!r}", field="service_code")
    for field in ("address_string", "address_id", "description", "first_name", "last_name", "email", "phone",
                  "device_id", "account_id", "media_url", "discard_reason"):  # fmt: skip
        _need_text(d, field, Open311Submission)
    for field in ("lat", "long"):
        if d.get(field) is not None and (not isinstance(d[field], int | float) or isinstance(d[field], bool)):
            raise ValidationError(f"{field} must be a number or null", field=field)
    if not isinstance(d.get("attributes", {}), dict):
        raise ValidationError("attributes must be an object", field="attributes")
    _need_time(d.get("received_at"), "received_at")
    _need_time(d.get("placed_at"), "placed_at", optional=True)


def submission_row(d, keys, matters, users, case=None) -> Open311Submission:
    code = d["service_code"]
    if code not in matters:
        matters[code] = MatterType.objects.get(code=code)
    return Open311Submission(case=case, key=keys[d["key"]], matter=matters[code], received_at=_when(d["received_at"]),
                             placed_by=users.get(d.get("placed_by") or ""), placed_at=_when(d.get("placed_at")),
                             **{f: d[f] for f in SUBMISSION_FIELDS if f in d})  # fmt: skip


def open311_pending_restore(records) -> int:
    """Written after the cases; a token present already (a bundle imported again) is left as it is."""
    present = set()
    tokens = [d["token"] for d in records]
    for start in range(0, len(tokens), 2000):
        found = Open311Submission.objects.filter(token__in=tokens[start : start + 2000])
        present.update(found.values_list("token", flat=True))
    keys, matters = {k.name: k for k in Open311Key.objects.all()}, {}
    users = _users(d.get("placed_by") for d in records)
    rows = []
    for d in records:
        if d["token"] not in present:
            present.add(d["token"])
            rows.append(submission_row(d, keys, matters, users))
    Open311Submission.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
