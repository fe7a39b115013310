from django.urls import path

from . import views

urlpatterns = [path("grids/map/", views.grid_map, name="grids-map")]
