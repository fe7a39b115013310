from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _static_dev_server_refuses_traversal_with_404():
    """`runserver` (the demo) serves /static/ through staticfiles' handler, which turns only Http404 into an
    answer: `/static/%2e%2e/x` raised SuspiciousFileOperation, a 500 (nothing disclosed, but an error for a
    probe). A path outside the static roots names no static file: 404. Production serves static files with
    whitenoise or the web server, not this handler."""
    from django.contrib.staticfiles.handlers import StaticFilesHandlerMixin
    from django.core.exceptions import SuspiciousOperation
    from django.http import Http404

    original = StaticFilesHandlerMixin.serve
    if getattr(original, "refuses_traversal", False):
        return

    def serve(self, request):
        try:
            return original(self, request)
        except SuspiciousOperation as exc:
            raise Http404("no such static file") from exc

    serve.refuses_traversal = True
    StaticFilesHandlerMixin.serve = serve


class CoreConfig(AppConfig):
    name = "chengguan.core"
    label = "core"
    verbose_name = _("Working calendar")

    def ready(self):
        _static_dev_server_refuses_traversal_with_404()
