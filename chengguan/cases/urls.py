from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list_page, name="list"),
    path("cases/export.xlsx", views.case_export, name="export"),
    path("cases/new/", views.desk_report, name="new"),
    path("cases/<int:pk>/", views.case_detail_page, name="detail"),
    path("cases/<int:pk>/act/<str:action>/", views.case_act_page, name="act"),
    path("cases/<int:pk>/sheet/<str:kind>/", views.case_sheet_page, name="sheet"),
    path("cases/photos/<int:pk>/", views.case_photo, name="photo"),
    path("cases/queue/accept/", views.operator_page, name="operator"),
    path("cases/queue/filing/", views.filing_page, name="filing"),
    path("cases/queue/dispatch/", views.dispatch_page, name="dispatch"),
    path("cases/queue/department/", views.department_page, name="department"),
    path("cases/queue/batch/<str:action>/", views.queue_batch, name="batch"),
    path("cases/notifications/", views.notifications_page, name="notifications"),
    path("m/", views.mobile_home, name="mobile"),
    path("m/report/", views.mobile_report, name="mobile_report"),
    path("m/case/<int:pk>/", views.mobile_case, name="mobile_case"),
    path("m/matters/", views.matter_search, name="matter_search"),
]
