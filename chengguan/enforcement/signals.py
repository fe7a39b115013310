"""Sent on commit after every act on an enforcement case (kwarg `event`: the CaseEvent), for notifications."""

from django.dispatch import Signal

case_event_recorded = Signal()
