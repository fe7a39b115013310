"""The sweeper's set-wise writes: a claimed batch's events and inbox rows written by `INSERT … SELECT` from the case
rows (no model object per event), then one signal per batch for the other apps.

The rows are the ones the per-case path (`sweeper._write_per_case`) writes: the same columns from the same case
row, the same payload and texts; `tests/test_sweeper_setwise.py` compares the two paths row by row on the test
database's vendor (PostgreSQL or SQLite).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.expressions import RawSQL

from chengguan.catalog.models import MatterType

from ..channels import Message, channels, deliver
from ..models import Case, CaseEvent, Notification
from ..signals import sweep_events_recorded, sweep_events_written

SYSTEM_ROLE = "system"
RECIPIENT_FIELDS = ("pk", "state", "current_department_id", "assignee_id", "community_id", "number")


class Row:
    """The few case fields the recipients depend on (`Directory.responsible` reads these attributes)."""

    __slots__ = ("pk", "state", "current_department_id", "assignee_id", "community_id", "number")

    def __init__(self, values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _at(now):
    """A time as the ORM would store it (SQLite: naive UTC text; a raw parameter would keep its offset)."""
    return connection.ops.adapt_datetimefield_value(now)


def _deadline_iso() -> str:
    """SQL for `deadline.isoformat()` of the case row (UTC, microseconds only when not zero), or NULL."""
    if connection.vendor == "postgresql":
        d = "c.deadline AT TIME ZONE 'UTC'"
        return (
            f"to_char({d}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN extract(microseconds FROM {d})::bigint "
            f"%% 1000000 <> 0 THEN to_char({d}, '.US') ELSE '' END || '+00:00'"
        )
    # SQLite stores an aware datetime as naive UTC text `isoformat(" ")`
    return "replace(c.deadline, ' ', 'T') || '+00:00'"


def _payload() -> str:
    if connection.vendor == "postgresql":
        return f"jsonb_build_object('auto', true, 'deadline', {_deadline_iso()})"
    return f"json_object('auto', json('true'), 'deadline', {_deadline_iso()})"


def _id_list() -> str:
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])"
    return "SELECT value FROM json_each(%s)"


def _id_param(ids) -> str:
    """`{1,2,…}` (an array literal: psycopg's dump of a Python list of thousands of ints costs ~20 ms) or the JSON
    list `[1,2,…]` on SQLite."""
    text = ",".join(str(int(i)) for i in ids)
    return "{" + text + "}" if connection.vendor == "postgresql" else f"[{text}]"


def _in(ids) -> tuple[str, list]:
    """`IN (…)` over a list of ids as ONE parameter (an array, or a JSON list on SQLite): a batch's thousands of
    ids cost no per-id placeholder to compile or to parse."""
    return f"IN ({_id_list()})", [_id_param(ids)]


def ids_in(ids) -> RawSQL:
    """The same as an expression for the ORM: `Model.objects.filter(pk__in=ids_in(ids))`."""
    return RawSQL(_id_list(), [_id_param(ids)])


def insert_events(ids, *, action: str, now, reason: str) -> list[int]:
    """One event per case (the per-case path's columns, actor none, role system); returns the event ids."""
    table, case_table = _qn(CaseEvent._meta.db_table), _qn(Case._meta.db_table)
    cols = (
        "case_id, action, actor_id, actor_role, actor_name, at, from_state, to_state, step, step_started_at, "
        "deadline, limit_amount, limit_unit, department_id, assignee_id, ended_step, ended_step_started_at, "
        "ended_step_deadline, on_time, reason, payload"
    )
    where, params = _in(ids)
    sql = (
        f"INSERT INTO {table} ({cols}) SELECT c.id, %s, NULL, %s, '', %s, c.state, c.state, c.step, "
        "c.step_started_at, c.deadline, c.limit_amount, c.limit_unit, c.current_department_id, c.assignee_id, "
        f"'', NULL, NULL, NULL, %s, {_payload()} FROM {case_table} c WHERE c.id {where} ORDER BY c.id "
        "RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [action, SYSTEM_ROLE, _at(now), reason, *params])
        return sorted(row[0] for row in cursor.fetchall())


def insert_notifications(rows, *, recipients, kind: str, now, head: str, tail: str) -> list[tuple]:
    """The inbox rows `head + number + （matter） + tail` (cut to 300) for each case's recipients: one INSERT per
    distinct set of recipients (cases share a few hundred of them). Returns (case id, user id, text) rows."""
    groups = defaultdict(list)
    for row in rows:
        users = recipients(row)
        if users:
            groups[frozenset(users)].append(row.pk)
    table, case_table = _qn(Notification._meta.db_table), _qn(Case._meta.db_table)
    user_table, matter_table = _qn(get_user_model()._meta.db_table), _qn(MatterType._meta.db_table)
    written = []
    for users, case_ids in groups.items():
        case_where, case_params = _in(sorted(case_ids))
        user_where, user_params = _in(sorted(users))
        sql = (
            f"INSERT INTO {table} (user_id, case_id, kind, text, created_at, read_at, link, {_qn('key')}) "
            f"SELECT u.id, c.id, %s, substr(%s || c.number || '（' || m.name || %s, 1, 300), %s, NULL, '', '' "
            f"FROM {case_table} c JOIN {matter_table} m ON m.id = c.matter_id JOIN {user_table} u "
            f"ON u.id {user_where} WHERE c.id {case_where} ORDER BY c.id, u.id RETURNING case_id, user_id, text"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [kind, head, tail, _at(now), *user_params, *case_params])
            written.extend(cursor.fetchall())
    return written


def write_batch(rows, *, action: str, now, reason: str, recipients, kind: str, head: str, tail: str) -> int:
    """A claimed batch's events and notifications, set-wise, inside the caller's transaction; then
    `sweep_events_written` (in the transaction) and, after commit, `sweep_events_recorded` and the channel
    copies of the notifications. `rows`: the claimed cases' `RECIPIENT_FIELDS` (tuples)."""
    rows = sorted((Row(v) for v in rows), key=lambda r: r.pk)
    ids = [row.pk for row in rows]
    event_ids = insert_events(ids, action=action, now=now, reason=reason)
    notes = insert_notifications(rows, recipients=recipients, kind=kind, now=now, head=head, tail=tail)
    signal = {"action": action, "at": now, "case_ids": ids}
    sweep_events_written.send(
        sender=CaseEvent, events=CaseEvent.objects.filter(pk__in=ids_in(event_ids)), **signal
    )
    transaction.on_commit(
        lambda: sweep_events_recorded.send(sender=CaseEvent, events=CaseEvent.objects.filter(pk__in=ids_in(event_ids)),
                                           **signal)
    )  # fmt: skip
    if notes and channels():
        numbers = {row.pk: row.number for row in rows}
        messages = [
            Message(kind, text, numbers[case_id], user_id) for case_id, user_id, text in sorted(notes)
        ]
        transaction.on_commit(lambda: deliver(messages))
    return len(event_ids)
