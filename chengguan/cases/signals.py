"""Signals other apps subscribe to.

`case_event_recorded` is sent once per `CaseEvent`, after the transaction that wrote it commits, with
`event=` the row (the evaluation app computes its indicators from these rows).
"""

from django.dispatch import Signal

case_event_recorded = Signal()
