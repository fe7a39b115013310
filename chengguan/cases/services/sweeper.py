"""The sweeper: overdue steps are urged (催办) once, long-overdue ones escalated (督办) once.

It claims rows in batches with `SELECT … FOR UPDATE SKIP LOCKED` and a compare-and-set update
(`filter(pk__in=ids, overdue_notified=False).update(overdue_notified=True)`) inside one transaction per batch,
so two sweepers running at once split the work and each job is done exactly once; running it again finds
nothing new (idempotent). A step that starts anew (or gets an extension) resets the flags.

It writes the same event rows as a person's `urge` / `supervise` (actor none, role `system`), plus inbox rows:
set-wise by default (`sweeper_sql.write_batch`: `INSERT … SELECT` from the claimed case rows, one signal per batch,
`sweep_events_written` / `sweep_events_recorded`), or per case (`setwise=False`: model objects and the per-event
signals, kept as the reference the set-wise path is tested against).
"""

from collections import defaultdict
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from chengguan.org.models import Department, Region, RoleAssignment

from ..channels import Message, deliver
from ..models import Case, CaseEvent, Notification
from ..signals import case_event_recorded, case_events_written
from ..workflow import State
from . import sweeper_sql

SYSTEM_ROLE = sweeper_sql.SYSTEM_ROLE
BATCH = 2000
POOL_ROLE = {
    State.REPORTED: "operator",
    State.VERIFYING: "operator",
    State.ACCEPTED: "shift_leader",
    State.CHECK_PASSED: "shift_leader",
    State.SELF_HANDLED: "shift_leader",
    State.CHECKING: "operator",
}


class Directory:
    """Role assignments and region/department paths loaded once per sweep, to find who is responsible for many
    cases without a query each (answers memoised per role and place: cases share a few hundred communities)."""

    def __init__(self):
        self.by_region = defaultdict(list)  # role → [(region path, user id)]
        self.handlers = []  # [(department path, user id)]
        rows = RoleAssignment.objects.select_related("region", "department").values_list(
            "role", "user_id", "region__path", "department__path"
        )
        for role, user_id, region_path, dept_path in rows:
            if role == "department_handler" and dept_path:
                self.handlers.append((dept_path, user_id))
            elif region_path:
                self.by_region[role].append((region_path, user_id))
        self.region_paths = dict(Region.objects.values_list("pk", "path"))
        self.department_paths = dict(Department.objects.values_list("pk", "path"))
        self._memo = {}

    def over(self, role: str, path: str) -> frozenset[int]:
        key = (role, path)
        if key not in self._memo:
            self._memo[key] = frozenset(u for p, u in self.by_region.get(role, ()) if path.startswith(p))
        return self._memo[key]

    def handlers_of(self, dept_path: str) -> frozenset[int]:
        key = ("", dept_path)
        if key not in self._memo:
            self._memo[key] = frozenset(u for p, u in self.handlers if dept_path.startswith(p))
        return self._memo[key]

    def community_path(self, case: Case) -> str:
        return self.region_paths.get(case.community_id, "")

    def responsible(self, case: Case) -> frozenset[int]:
        if case.state == State.DISPATCHED and case.current_department_id:
            return self.handlers_of(self.department_paths.get(case.current_department_id, ""))
        if case.assignee_id:
            return frozenset({case.assignee_id})
        return self.over(POOL_ROLE.get(case.state, "dispatcher"), self.community_path(case))


def _claim(
    now: datetime, *, flag: str, time_field: str, batch: int, extra: dict, after=None, wait: bool = False
) -> tuple[list, tuple]:
    """Claim up to `batch` due rows (skipping rows another sweeper holds) and set their flag: on PostgreSQL one
    UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING the fields the writers need; elsewhere
    select, update, read. Returns the claimed cases' `sweeper_sql.RECIPIENT_FIELDS` and the pass's position.

    The flags are in no index (so the UPDATE is HOT): the due index still lists the rows this pass flagged, so
    on PostgreSQL each batch starts after the last one's `(time, id)` (`after`) instead of re-reading them.
    A row another sweeper held when a batch went past it (SKIP LOCKED) may still be due once that sweeper lets
    go of it without claiming it (a lock taken on a row whose newer version no longer matched stays until that
    transaction ends), so a pass ends only when a batch from the start finds nothing: one more read of the due
    index per pass, not per batch. That closing batch (`wait`) waits for the rows others hold instead of skipping
    them (they are claimed if still due once let go): a row held at that moment is not left to the next tick.
    Only the closing batch waits, and it locks in the due index's order, so sweepers never wait on each other in
    a circle."""
    due = (
        Case.objects.select_for_update(skip_locked=not wait)
        .filter(**{"is_open": True, flag: False, f"{time_field}__lt": now})
        .order_by(time_field, "pk")
        .values("pk")
    )
    if connection.vendor == "postgresql":
        table, qn = Case._meta.db_table, connection.ops.quote_name
        if after is not None:
            due = due.extra(where=[f"({qn(table)}.{qn(time_field)}, {qn(table)}.{qn('id')}) > (%s, %s)"],
                            params=list(after))  # fmt: skip
        sub, params = due[:batch].query.sql_with_params()
        sets = [f"{qn(flag)} = true"]
        if "urge_count" in extra:
            sets.append(f"{qn('urge_count')} = {qn('urge_count')} + 1")
        if "supervised" in extra:
            sets.append(f"{qn('supervised')} = true")
        returning = ", ".join(qn("id" if f == "pk" else f) for f in sweeper_sql.RECIPIENT_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {qn(table)} SET {', '.join(sets)} WHERE {qn('id')} IN ({sub}) "
                f"RETURNING {qn(time_field)}, {returning}",
                params,
            )
            rows = cursor.fetchall()
        return [row[1:] for row in rows], max(((row[0], row[1]) for row in rows), default=after)
    ids = [row["pk"] for row in due[:batch]]
    if not ids:
        return [], after
    Case.objects.filter(pk__in=ids, **{flag: False}).update(**{flag: True}, **extra)
    return list(Case.objects.filter(pk__in=ids).values_list(*sweeper_sql.RECIPIENT_FIELDS)), after


def _write_per_case(cases, *, action: str, now, reason: str, recipients, kind: str, text) -> list[CaseEvent]:
    events = CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=c,
                action=action,
                actor=None,
                actor_role=SYSTEM_ROLE,
                actor_name="",
                at=now,
                from_state=c.state,
                to_state=c.state,
                step=c.step,
                step_started_at=c.step_started_at,
                deadline=c.deadline,
                limit_amount=c.limit_amount,
                limit_unit=c.limit_unit,
                department_id=c.current_department_id,
                assignee_id=c.assignee_id,
                reason=reason,
                payload={"auto": True, "deadline": c.deadline.isoformat() if c.deadline else None},
            )  # fmt: skip
            for c in cases
        ]
    )
    notes, messages = [], []
    for c in cases:
        message = text(c)
        for user_id in sorted(recipients(c)):
            notes.append(Notification(user_id=user_id, case=c, kind=kind, text=message[:300], created_at=now))
            messages.append(Message(kind, message, c.number, user_id))
    Notification.objects.bulk_create(notes, batch_size=1000)
    if events:
        case_events_written.send(sender=CaseEvent, events=events)
    if events and events[0].pk is not None:
        transaction.on_commit(lambda: [case_event_recorded.send(sender=CaseEvent, event=e) for e in events])
    if messages:
        transaction.on_commit(lambda: deliver(messages))
    return events


URGE = {
    "action": "urge",
    "reason": "超时自动催办",
    "kind": "urge",
    "head": "催办：",
    "tail": "）已超过处理时限",
}
SUPERVISE = {"action": "supervise", "reason": "严重超时自动督办", "kind": "supervise", "head": "督办：",
             "tail": "）严重超时"}  # fmt: skip


def _write(rows, *, now, recipients, setwise: bool, action, reason, kind, head, tail) -> int:
    if setwise:
        return sweeper_sql.write_batch(rows, action=action, now=now, reason=reason, recipients=recipients,
                                       kind=kind, head=head, tail=tail)  # fmt: skip
    ids = [row[0] for row in rows]
    cases = list(Case.objects.filter(pk__in=ids).select_related("matter").order_by("pk"))
    text = lambda c: f"{head}{c.number}（{c.matter.name}{tail}"  # noqa: E731
    return len(_write_per_case(cases, action=action, now=now, reason=reason, recipients=recipients, kind=kind,
                               text=text))  # fmt: skip


def _pass(now, *, flag: str, time_field: str, extra: dict, batch: int, write) -> int:
    """Claim and `write` batch after batch until a closing batch from the start, which waits for the rows other
    transactions hold, finds nothing (see `_claim`)."""
    done, after, closing = 0, None, False
    while True:
        with transaction.atomic():
            claimed, after = _claim(now, flag=flag, time_field=time_field, batch=batch, extra=extra, after=after,
                                    wait=closing)  # fmt: skip
            if not claimed:
                if closing:
                    return done
                after, closing = None, True  # the pass ends with one batch from the start
                continue
            write(claimed)
        done += len(claimed)
        closing = False


def sweep_overdue(*, now: datetime, directory: Directory, batch: int = BATCH, setwise: bool = True) -> int:
    return _pass(now, flag="overdue_notified", time_field="deadline", extra={"urge_count": F("urge_count") + 1},
                 batch=batch, write=lambda rows: _write(rows, now=now, recipients=directory.responsible,
                                                        setwise=setwise, **URGE))  # fmt: skip


def sweep_escalations(
    *, now: datetime, directory: Directory, batch: int = BATCH, setwise: bool = True
) -> int:
    def recipients(c):
        return (
            directory.responsible(c)
            | directory.over("dispatcher", directory.community_path(c))
            | directory.over("leader", directory.community_path(c))
        )

    return _pass(now, flag="escalated", time_field="escalate_at", extra={"supervised": True}, batch=batch,
                 write=lambda rows: _write(rows, now=now, recipients=recipients, setwise=setwise,
                                           **SUPERVISE))  # fmt: skip


def sweep(*, now: datetime | None = None, batch: int = BATCH, setwise: bool = True) -> dict:
    """One pass of the sweeper; returns how many cases were urged and escalated. `setwise=False` writes per case
    (the reference path of the tests)."""
    now = now or timezone.now()
    directory = Directory()
    return {
        "urged": sweep_overdue(now=now, directory=directory, batch=batch, setwise=setwise),
        "escalated": sweep_escalations(now=now, directory=directory, batch=batch, setwise=setwise),
    }
