from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "chengguan.evaluation"
    label = "evaluation"
