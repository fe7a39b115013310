from django.urls import path

from . import views

app_name = "assets"

urlpatterns = [
    path("assets/", views.index, name="index"),
    path("assets/vehicles/<int:pk>/", views.vehicle, name="vehicle"),
    path("assets/coverage/", views.coverage, name="coverage"),
    path("assets/bodycam/<int:case_pk>/attach", views.attach, name="bodycam_attach"),
]
