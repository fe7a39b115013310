from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/panels/", views.panels, name="panels"),
    path("dashboard/cases.geojson", views.cases_geojson, name="cases"),
    path("dashboard/grids.geojson", views.grids_geojson, name="grids"),
    path("dashboard/regions.geojson", views.regions_geojson, name="regions"),
    path("dashboard/supervisors.geojson", views.supervisors_geojson, name="supervisors"),
]
