from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "chengguan.evaluation"
    label = "evaluation"
    verbose_name = _("evaluation and assessment")

    def ready(self):
        from chengguan.cases.signals import case_event_recorded

        from .facts import on_case_event

        case_event_recorded.connect(on_case_event, dispatch_uid="evaluation_facts")
