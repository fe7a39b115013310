from django.urls import path

from . import views

app_name = "patrol"

urlpatterns = [
    path("patrol/", views.index, name="index"),
    path("patrol/m/", views.mobile, name="mobile"),
    path("patrol/staffing/", views.staffing, name="staffing"),
    path("patrol/certificates/", views.certificates, name="certificates"),
    path("patrol/staff/", views.staff_list, name="staff"),
    path("patrol/staff/<int:user_id>/", views.staff_file, name="staff_file"),
    path("patrol/roster/", views.roster, name="roster"),
    path("patrol/roster/copy/", views.roster_copy, name="roster_copy"),
    path("patrol/roster/shifts/", views.shift_add, name="shift_add"),
    path("patrol/requests/", views.requests_page, name="requests"),
    path("patrol/requests/<str:kind>/<int:pk>/decide/", views.decide, name="decide"),
    path("patrol/coverage/", views.coverage_page, name="coverage"),
    path("patrol/campaigns/", views.campaign_list, name="campaigns"),
    path("patrol/campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("patrol/operations/", views.operation_list, name="operations"),
    path("patrol/operations/<int:pk>/", views.operation_detail, name="operation"),
    path("patrol/shops/", views.shop_list, name="shops"),
    path("patrol/shops/<int:pk>/", views.shop_detail, name="shop"),
    path("patrol/ads/", views.ads_page, name="ads"),
]
