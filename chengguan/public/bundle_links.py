"""What the exchange bundle (chengguan.cases.bundle) carries for this app: a hotline case's work order (system
code, the hotline's id — a re-send finds the case instead of making a duplicate, and the system's webhook
subscribers keep being told), an Open311 request's submission (token, media_url, the client's fields), the
reporter's satisfaction rating (回访) and the citizen points the case earned. The manifest carries the
configuration they point at: hotline systems with their webhook subscribers (URL and signing secret, so the
receivers keep verifying) and Open311 keys (name and hash only: clients keep their keys). Open311 submissions that
never became a case (address-only reports still pending, or discarded) travel in a file of their own,
`open311_pending.jsonl` (bundle_files.py), so their tokens keep answering as they did."""


from chengguan.cases.bundle import BundleFile, Link, register_file, register_link
from chengguan.cases.exchange_marks import exchange_time as _iso
from chengguan.catalog.models import MatterType
from chengguan.org.models import User

from .bundle_files import (
    _when,
    open311_pending_check,
    open311_pending_export,
    open311_pending_restore,
    points_check,
    points_export,
    points_restore,
    satisfaction_check,
    satisfaction_export,
    satisfaction_restore,
    submission_record,
    submission_row,
)
from .models import HotlineSystem, HotlineWorkOrder, Open311Key, Open311Submission, WebhookSubscriber


def _user(username):
    return User.objects.filter(username=username).first() if username else None


# ---- hotline work orders and webhook subscribers -------------------------------------------------------------


def hotline_export(case_ids) -> dict:
    rows = HotlineWorkOrder.objects.filter(case_id__in=case_ids).select_related("system")
    return {
        w.case_id: {"system": w.system.code, "work_order_id": w.external_id, "category": w.category,
                    "category_mapped": w.category_mapped, "received_at": _iso(w.received_at),
                    "resend_count": w.resend_count, "last_received_at": _iso(w.last_received_at)}  # fmt: skip
        for w in rows
    }


def hotline_restore(pairs) -> None:
    systems = {s.code: s for s in HotlineSystem.objects.all()}
    HotlineWorkOrder.objects.bulk_create(
        [
            HotlineWorkOrder(case=case, system=systems[d["system"]], external_id=d["work_order_id"],
                             category=d.get("category") or "", category_mapped=d.get("category_mapped", True),
                             received_at=_when(d["received_at"]), resend_count=d.get("resend_count") or 0,
                             last_received_at=_when(d.get("last_received_at") or d["received_at"]))  # fmt: skip
            for case, d in pairs
        ]
    )


def hotline_config() -> dict:
    return {
        "systems": [
            {"code": s.code, "name": s.name, "user": s.user.username,
             "default_matter": s.default_matter.code if s.default_matter_id else "", "is_active": s.is_active,
             "created_at": _iso(s.created_at),
             "subscribers": [{"name": w.name, "url": w.url, "secret": w.secret, "is_active": w.is_active,
                              "created_at": _iso(w.created_at)} for w in s.subscribers.order_by("name", "url")]}
            for s in HotlineSystem.objects.select_related("user", "default_matter").order_by("code")
        ]
    }  # fmt: skip


def hotline_configure(config) -> None:
    for s in config.get("systems", []):
        system = HotlineSystem.objects.filter(code=s["code"]).first()
        if system is None:
            user = _user(s["user"]) or User.objects.create_user(username=s["user"], password=None)
            matter = MatterType.objects.filter(code=s["default_matter"]).first() if s.get("default_matter") else None
            system = HotlineSystem.objects.create(code=s["code"], name=s["name"], user=user, default_matter=matter,
                                                  is_active=s["is_active"], created_at=_when(s["created_at"]))  # fmt: skip
        for w in s.get("subscribers", []):
            if not system.subscribers.filter(url=w["url"], name=w["name"]).exists():
                WebhookSubscriber.objects.create(system=system, name=w["name"], url=w["url"], secret=w["secret"],
                                                 is_active=w["is_active"], created_at=_when(w["created_at"]))  # fmt: skip


# ---- Open311 submissions and keys -----------------------------------------------------------------------------


def open311_export(case_ids) -> dict:
    rows = Open311Submission.objects.filter(case_id__in=case_ids).select_related("key", "matter", "placed_by")
    return {s.case_id: submission_record(s) for s in rows}


def open311_restore(pairs) -> None:
    keys, matters = {k.name: k for k in Open311Key.objects.all()}, {}
    users = {u.username: u for u in User.objects.filter(username__in={d.get("placed_by") for _c, d in pairs} - {"", None})}
    Open311Submission.objects.bulk_create([submission_row(d, keys, matters, users, case) for case, d in pairs])


def open311_config() -> dict:
    return {
        "keys": [{"name": k.name, "prefix": k.prefix, "key_hash": k.key_hash, "created_at": _iso(k.created_at),
                  "revoked_at": _iso(k.revoked_at)} for k in Open311Key.objects.order_by("name")]
    }  # fmt: skip


def open311_configure(config) -> None:
    for k in config.get("keys", []):
        if not Open311Key.objects.filter(key_hash=k["key_hash"]).exists():
            Open311Key.objects.create(name=k["name"], prefix=k["prefix"], key_hash=k["key_hash"],
                                      created_at=_when(k["created_at"]), revoked_at=_when(k.get("revoked_at")))  # fmt: skip


def register() -> None:
    register_link(Link("hotline", hotline_export, hotline_restore, hotline_config, hotline_configure))
    register_link(Link("open311", open311_export, open311_restore, open311_config, open311_configure))
    register_link(Link("satisfaction", satisfaction_export, satisfaction_restore, dict, _nothing, satisfaction_check))
    register_link(Link("points", points_export, points_restore, dict, _nothing, points_check))
    register_file(BundleFile("open311_pending.jsonl", open311_pending_export, open311_pending_check,
                             open311_pending_restore))  # fmt: skip


def _nothing(config) -> None:
    """Ratings and points point at no configuration."""
