from django.urls import path, re_path

from . import views

app_name = "geo"

urlpatterns = [
    re_path(r"^maps/tiles/(?P<name>[a-z0-9][a-z0-9_-]{0,39})/(?P<z>\d{1,2})/(?P<x>\d{1,7})/(?P<y>\d{1,7})\.(?P<fmt>png|jpg|webp)$",
            views.tile, name="tile"),
    path("maps/layers.json", views.layers, name="layers"),
]
