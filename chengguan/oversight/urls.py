from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("oversight/", views.complaints_page, name="complaints"),
    path("oversight/complaints/new/", views.complaint_new_page, name="complaint_new"),
    path("oversight/complaints/<int:pk>/", views.complaint_page, name="complaint"),
    path("oversight/officers/<int:user_id>/", views.officer_file_page, name="officer_file"),
    path("oversight/ratings/", views.ratings_page, name="ratings"),
    path("oversight/presence/", views.presence_page, name="presence"),
    path("oversight/rotation/", views.rotation_page, name="rotation"),
    path("oversight/permits/", views.permits_page, name="permits"),
    path("oversight/permits/action/", views.permit_action, name="permit_action"),
    # citizen portal, no login
    path("complain/", views.portal_complaint, name="portal_complaint"),
]
