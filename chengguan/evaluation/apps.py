from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "chengguan.evaluation"
    label = "evaluation"
    verbose_name = _("evaluation and assessment")

    def ready(self):
        from chengguan.cases import signals

        from .facts import on_case_event, on_cases_imported

        signals.case_event_recorded.connect(on_case_event, dispatch_uid="evaluation_facts")
        imported = getattr(signals, "cases_imported", None)
        if imported is not None:
            imported.connect(on_cases_imported, dispatch_uid="evaluation_facts_imported")
