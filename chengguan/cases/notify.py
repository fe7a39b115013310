"""Who is told what: in-app inbox rows (written in the action's transaction) + channel copies (after commit)."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from chengguan.org.models import RoleAssignment, User

from .channels import Message, deliver
from .models import Notification


def users_with_role_over_region(role: str, community) -> list[int]:
    """Users holding `role` bound to a region that contains `community`."""
    ancestors = [int(x) for x in community.path.strip("/").split("/") if x]
    return list(
        RoleAssignment.objects.filter(role=role, region_id__in=ancestors)
        .values_list("user_id", flat=True)
        .distinct()
    )


def handlers_of(department) -> list[int]:
    """Department handlers bound to `department` or one of its ancestors (they see its subtree)."""
    if department is None:
        return []
    ancestors = [int(x) for x in department.path.strip("/").split("/") if x]
    return list(
        RoleAssignment.objects.filter(role="department_handler", department_id__in=ancestors)
        .values_list("user_id", flat=True)
        .distinct()
    )


_silenced = ContextVar("cases_notifications_silenced", default=False)


@contextmanager
def silenced():
    """Replaying history: no notices and no per-event `case_event_recorded` (nobody should be told about
    2019 again); the replayer sends `cases_imported` once instead."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def is_silenced() -> bool:
    return _silenced.get()


def notify(*, case, kind: str, text: str, user_ids, at, phones=()) -> None:
    """Inbox rows now; SMS/WeChat/log copies once the transaction commits."""
    if _silenced.get():
        return
    user_ids = sorted({u for u in user_ids if u})
    Notification.objects.bulk_create(
        [Notification(user_id=u, case=case, kind=kind, text=text[:300], created_at=at) for u in user_ids]
    )
    phone_of = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "phone")) if user_ids else {}
    messages = [Message(kind, text, case.number, u, phone_of.get(u, "")) for u in user_ids]
    messages += [Message(kind, text, case.number, None, p) for p in phones if p]
    if messages:
        transaction.on_commit(lambda: deliver(messages))


def remind(*, key: str, text: str, link: str, user_ids, at) -> int:
    """A reminder of work with a deadline: once per person and `key` (a job may run again and again), in the
    inbox with a link to where it is done, and through the configured channels after commit. Returns how many
    people were told now."""
    wanted = {u for u in user_ids if u}
    told = set(Notification.objects.filter(key=key, user_id__in=wanted).values_list("user_id", flat=True))
    new = sorted(wanted - told)
    Notification.objects.bulk_create(
        [Notification(user_id=u, kind="reminder", text=text[:300], link=link, key=key, created_at=at) for u in new]
    )
    phone_of = dict(User.objects.filter(pk__in=new).values_list("pk", "phone")) if new else {}
    messages = [Message("reminder", text, "", u, phone_of.get(u, "")) for u in new]
    if messages:
        transaction.on_commit(lambda: deliver(messages))
    return len(new)


def notification_mark_read(*, actor, notification_ids=None, at) -> int:
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=at)
