from django.urls import path

from . import views

app_name = "buildings"

urlpatterns = [
    path("buildings/", views.index, name="index"),
    path("buildings/map/", views.map_page, name="map"),
    path("buildings/map.geojson", views.geojson, name="geojson"),
    path("buildings/new/", views.new, name="new"),
    path("buildings/projects/", views.projects, name="projects"),
    path("buildings/projects/<int:pk>/", views.project, name="project"),
    path("buildings/campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("buildings/<int:pk>/", views.detail, name="detail"),
    path("buildings/<int:pk>/<str:name>", views.act, name="act"),
]
