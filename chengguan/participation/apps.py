from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "chengguan.participation"
    label = "participation"
    verbose_name = _("Participation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from chengguan.public import conf

        from . import receivers  # noqa: F401 - volunteer points when a reported case is filed

        # the portal's opinion form counts with the public app's limiter (PUBLIC_RATE_LIMITS overrides these)
        conf.RATE_LIMITS.setdefault("opinion_ip", (10, 3600))
        conf.RATE_LIMITS.setdefault("opinion_phone_day", (3, 86400))
