"""Signals other apps subscribe to.

`case_event_recorded` is sent once per `CaseEvent`, after the transaction that wrote it commits, with
`event=` the row (the evaluation app computes its indicators from these rows).

`cases_imported` is sent once after a replayed history commits (`chengguan cases import`, the demo loader),
with `case_ids=` the cases it created. Replayed events do NOT send `case_event_recorded` one by one: history is
not news (no webhooks or notices for 2019), and a subscriber that derives facts from a case's events should
rebuild them once per case from this signal instead.
"""

from django.dispatch import Signal

case_event_recorded = Signal()
cases_imported = Signal()
