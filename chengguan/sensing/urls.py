from django.urls import path

from . import views

app_name = "sensing"

urlpatterns = [
    path("sensing/", views.index, name="index"),
    path("sensing/review/", views.review, name="review"),
    path("sensing/alarms/<int:pk>/snapshot", views.snapshot, name="snapshot"),
    path("sensing/alarms/<int:pk>/<str:decision>", views.decide, name="decide"),
    path("sensing/cameras/<int:pk>/live/", views.live, name="live"),
    path("sensing/devices.geojson", views.devices_geojson, name="devices"),
    path("sensing/alarms.geojson", views.alarms_geojson, name="alarms"),
]
