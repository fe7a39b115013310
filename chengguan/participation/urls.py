from django.urls import path

from . import portal, views

app_name = "participation"

urlpatterns = [
    path("participation/volunteer/", views.volunteer, name="volunteer"),
    path("participation/outcomes/", views.outcome_list, name="outcomes"),
    path("participation/outcomes/<int:pk>/", views.outcome, name="outcome"),
    path("participation/comments/", views.comments, name="comments"),
    path("participation/comments/<int:pk>/answer", views.answer, name="answer"),
    path("participation/places/", views.places, name="places"),
    path("participation/places/<int:pk>/duty", views.duty, name="duty"),
    path("participation/consultations/", views.consultations, name="consultations"),
    path("participation/consultations/<int:pk>/", views.consultation, name="consultation"),
    path("participate/places/", portal.places, name="portal_places"),
    path("participate/consultations/", portal.consultation_list, name="portal_consultations"),
    path("participate/consultations/<int:pk>/", portal.consultation, name="portal_consultation"),
]
