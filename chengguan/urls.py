"""URLs: the API, admin, auth, health, then every app's own `urls.py` (mounted at the root)."""

import importlib

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from chengguan.api import api
from chengguan.core import calendar_views
from chengguan.core import views as core_views
from chengguan.org import views as org_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every page that names no icon (the API docs, a downloaded file's tab).
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg"), permanent=True)),
    path("", core_views.home, name="home"),
    path("calendar/import/", calendar_views.calendar_import, name="calendar_import"),
    path("nav/counts/", core_views.nav_counts, name="nav-counts"),
    path("accounts/login/", org_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", org_views.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

for _app in settings.LOCAL_APPS:
    if _app in ("chengguan.core", "chengguan.org"):
        continue
    try:
        importlib.import_module(f"{_app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_app}.urls":
            raise
        continue
    urlpatterns.append(path("", include(f"{_app}.urls")))

# No route for MEDIA_URL, on purpose, in development too: uploaded photos and evidence carry personal data and
# are served only by views that check the reader (chengguan.core.media.file_response; docs/operations.md).

admin.site.site_header = "城管平台管理"
admin.site.site_title = "城管平台"
