"""The WSGI application gunicorn serves (`chengguan.wsgi:application`)."""

import importlib.util
import os
import sys

from django.core.wsgi import get_wsgi_application


def _signals_without_the_test_client():
    """django-ninja's settings module imports `django.test.signals` for its `setting_changed` receiver. Importing a
    module of the `django.test` package runs the package's `__init__` first, which loads Django's test client and
    with it `unittest`, `xml.dom.minidom` and Jinja2 when installed: 5–7 MB in every web worker that never runs a
    test (bench/http_load.py's RSS). The signals module is loaded here under its own name from its own file, with
    its receivers, without the package; a later `import django.test` (a shell, a management command) still runs
    the package and finds this module in `sys.modules`."""
    name = "django.test.signals"
    if name in sys.modules or "django.test" in sys.modules:
        return
    django_dir = os.path.dirname(importlib.util.find_spec("django").origin)
    spec = importlib.util.spec_from_file_location(name, os.path.join(django_dir, "test", "signals.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings")
_signals_without_the_test_client()
application = get_wsgi_application()
