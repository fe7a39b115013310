from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluation/", views.index, name="index"),
    path("evaluation/rank/<str:party>/", views.rank, name="rank"),
    path("evaluation/region/<int:pk>/", views.region, name="region"),
    path("evaluation/grid/<int:pk>/", views.grid, name="grid"),
    path("evaluation/cases/", views.cases, name="cases"),
    path("evaluation/measures/", views.measures, name="measures"),
    path("evaluation/assessment/", views.assessment, name="assessment"),
    path("evaluation/assessment/records/", views.record_create, name="record_create"),
    path("evaluation/assessment/records/<int:pk>/", views.record, name="record"),
    path("evaluation/assessment/records/<int:pk>/cancel/", views.record_cancel, name="record_cancel"),
    path("evaluation/assessment/records/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path(
        "evaluation/assessment/records/<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_file,
        name="evidence_file",
    ),
    path("evaluation/assessment/accountability/", views.accountability_create, name="accountability_create"),
    path("evaluation/notices/", views.notices, name="notices"),
    path("evaluation/monthly/", views.monthly, name="monthly"),
    path("evaluation/monthly/<str:code>/<str:month>.docx", views.monthly_file, name="monthly_file"),
    path("evaluation/monthly/<str:code>/<str:month>/", views.monthly_page, name="monthly_page"),
    path("evaluation/monthly/<str:code>/<str:month>/generate/", views.monthly_generate, name="monthly_generate"),
    path("evaluation/notices/issue/<int:case_pk>/", views.notice_issue, name="notice_issue"),
]
