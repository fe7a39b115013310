"""Public URLs: the citizen portal under /p/, Open311 under /open311/v2/, staff pages under /p/staff/.

Open311 first: its clients post at machine rates, and each pattern before theirs is tried on every call."""

from django.urls import path, re_path

from . import address_views, citizen_views, staff_views, views
from .open311 import views as open311

FMT = r"\.(?P<fmt>[A-Za-z0-9]+)$"

urlpatterns = [
    # Open311 GeoReport v2
    path("open311/v2/", open311.root, name="open311-root"),
    re_path(r"^open311/v2/discovery" + FMT, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FMT, open311.service_list, name="open311-services"),
    re_path(
        r"^open311/v2/services/(?P<code>[^/]+?)" + FMT, open311.service_definition, name="open311-service"
    ),
    re_path(r"^open311/v2/requests" + FMT, open311.service_requests, name="open311-requests"),
    re_path(
        r"^open311/v2/requests/(?P<number>[^/]+?)" + FMT, open311.service_request, name="open311-request"
    ),
    re_path(
        r"^open311/v2/servicerequestupdates" + FMT, open311.service_request_updates, name="open311-updates"
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[^/]+?)" + FMT, open311.token, name="open311-token"),
    # citizen portal (no login)
    path("p/", views.portal_home, name="public-home"),
    path("p/report/", views.report, name="public-report"),
    path("p/report/nearby/", views.nearby, name="public-nearby"),
    path("p/locate/", views.locate_point, name="public-locate"),
    path("p/addresses.json", address_views.addresses, name="public-addresses"),
    path("p/follow/", views.follow, name="public-follow"),
    path("p/cases/<str:number>/", views.case_page, name="public-case"),
    path("p/cases/<str:number>/rate/", views.rate, name="public-rate"),
    path("p/cases/<str:number>/reopen/", citizen_views.reopen, name="public-reopen"),
    path("p/mine/", citizen_views.mine, name="public-mine"),
    path("p/mine/leave/", citizen_views.mine_leave, name="public-mine-leave"),
    path("p/dev/messages/", citizen_views.dev_messages, name="public-dev-messages"),
    path("p/photos/<int:pk>/", views.photo, name="public-photo"),
    path("p/map/", views.public_map, name="public-map"),
    path("p/map.json", views.map_data, name="public-map-data"),
    path("p/regions.json", views.regions_data, name="public-regions"),
    path("p/stats/", views.statistics, name="public-stats"),
    path("p/stats.csv", views.statistics_csv, name="public-stats-csv"),
    # staff
    path("p/staff/cases/<int:pk>/reporter/", staff_views.reporter_page, name="public-reporter"),
    path("p/staff/cases/<int:pk>/callback/", staff_views.callback_rating, name="public-callback"),
    path("p/staff/satisfaction/", staff_views.satisfaction_list, name="public-satisfaction"),
    path("p/staff/satisfaction.csv", staff_views.satisfaction_export, name="public-satisfaction-csv"),
    path("p/staff/reveals/", staff_views.reveal_log, name="public-reveals"),
    path("p/staff/open311/", staff_views.open311_pending, name="public-open311-pending"),
    path("p/staff/open311/<int:pk>/place/", staff_views.open311_place_view, name="public-open311-place"),
    path(
        "p/staff/open311/<int:pk>/discard/", staff_views.open311_discard_view, name="public-open311-discard"
    ),
]
