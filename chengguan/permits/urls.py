from django.urls import path

from . import public_views, views

app_name = "permits"

urlpatterns = [
    path("permits/", views.index, name="index"),
    path("permits/new/", views.new, name="new"),
    path("permits/zones/", views.zones, name="zones"),
    path("permits/check/", views.check, name="check"),
    path("permits/findings/<int:pk>/clue", views.finding_clue, name="finding-clue"),
    path("permits/register.geojson", views.register_geojson, name="register-geojson"),
    path("permits/<int:pk>/", views.detail, name="detail"),
    path("permits/<int:pk>/permit.docx", views.document, name="document"),
    path("permits/<int:pk>/<str:name>", views.act, name="act"),
    path("p/permits/", public_views.register, name="public-register"),
    path("p/permits/apply/", public_views.apply, name="public-apply"),
    path("p/permits/follow/", public_views.follow, name="public-follow"),
    path("p/permits/<str:number>/", public_views.application, name="public-application"),
]
