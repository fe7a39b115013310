from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.index, name="index"),
    path("tasks/new", views.create, name="create"),
    path("tasks/<int:pk>/", views.detail, name="detail"),
    path("tasks/<int:pk>/report", views.report, name="report"),
    path("tasks/<int:pk>/milestone", views.milestone, name="milestone"),
    path("tasks/<int:pk>/urge", views.urge, name="urge"),
    path("tasks/<int:pk>/evidence/<int:evidence_id>", views.evidence, name="evidence"),
    path("tasks/meetings/", views.meetings, name="meetings"),
    path("tasks/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("tasks/problems/", views.problems, name="problems"),
    path("tasks/responsibility/", views.responsibility, name="responsibility"),
    path("tasks/board/", views.board, name="board"),
]
