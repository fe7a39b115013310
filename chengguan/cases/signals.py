"""Signals other apps subscribe to.

`case_event_recorded` is sent once per `CaseEvent`, after the transaction that wrote it commits, with
`event=` the row (webhooks, points, rating invitations react to these).

`case_events_written` is sent INSIDE the transaction that wrote one or more `CaseEvent` rows (an action, an
intake, a sweeper batch), with `events=` the rows; each event's `case` is the locked, already updated case row in
memory. A receiver that keeps derived rows (the evaluation facts) writes them in the same transaction, so they
commit or roll back with the event and cannot drift. Not sent while replaying history. On PostgreSQL a report's
keys are taken in the same round trip as its rows: in its `events`, the event's `pk` and `case_id` (and its case's
`pk`) are `core.rowqueue.Later` placeholders, usable as the keys of rows the receiver writes with
`core.rowinsert` (the facts do), not in a query; a receiver that must query by them works after the commit.

`sweep_events_written` and `sweep_events_recorded` are the sweeper's set-wise pair of the two above: its batches
(thousands of auto-urges or escalations, `cases/services/sweeper_sql.py`) are written by `INSERT … SELECT` and
send NEITHER per-event signal. Instead, once per batch, `sweep_events_written` INSIDE the batch's transaction and
`sweep_events_recorded` after it commits, both with `action=` ("urge" or "supervise"), `at=`, `case_ids=` (sorted)
and `events=` (a QuerySet of the batch's new rows; `from_state == to_state` on each). A receiver of the per-event
signals that must hear of the sweeper's events also subscribes to these and works per batch.

`cases_imported` is sent once after a replayed history commits (`chengguan cases import`, the demo loader),
with `case_ids=` the cases it created. The bulk import (`chengguan.cases.bulk`) sends it once per chunk INSIDE the
chunk's transaction, so rows derived by receivers commit (or roll back, or resume) with the chunk, and adds
`histories=[(case, events)]`: the saved case rows in memory and their history rows as dicts of `CaseEvent` field
names in insertion (primary-key) order, so a receiver derives from them without reading them back. Replayed events do NOT send the two signals above one by one: history is
not news (no webhooks or notices for 2019), and a subscriber that derives facts from a case's events should
rebuild them once per case from this signal instead.
"""

from django.dispatch import Signal

case_event_recorded = Signal()
case_events_written = Signal()
cases_imported = Signal()
sweep_events_written = Signal()
sweep_events_recorded = Signal()
