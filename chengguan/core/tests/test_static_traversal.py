"""The dev server's static handler (runserver, the demo) answers 404, not 500, to paths that leave the static
roots (issue 17 item 8)."""

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory


def test_a_static_path_leaving_the_static_roots_is_not_found(settings):
    settings.DEBUG = True
    handler = StaticFilesHandler(WSGIHandler())
    factory = RequestFactory()
    for path in ("/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fsettings.py"):
        request = factory.get(path)
        request.path = request.path_info = path.replace("%2e", ".").replace("%2f", "/")
        assert handler.get_response(request).status_code == 404, path
    response = handler.get_response(factory.get("/static/core/favicon.svg"))
    assert response.status_code == 200  # the positive control: a real static file is served
