from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "chengguan.evaluation"
    label = "evaluation"
    verbose_name = _("evaluation and assessment")

    def ready(self):
        from chengguan.cases import signals

        from .bulkfacts import on_cases_imported
        from .facts import on_events_written
        from .facts_sweep import on_sweep_events_written

        # inside the case transaction: the facts commit or roll back with the event
        signals.case_events_written.connect(on_events_written, dispatch_uid="evaluation_facts")
        signals.sweep_events_written.connect(on_sweep_events_written, dispatch_uid="evaluation_facts_sweep")
        signals.cases_imported.connect(on_cases_imported, dispatch_uid="evaluation_facts_imported")
