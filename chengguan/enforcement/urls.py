from django.urls import path

from . import linkage_views, public_views, views

app_name = "enforcement"

urlpatterns = [
    path("enforcement/", views.case_list_page, name="list"),
    path("enforcement/clues/new/", views.clue_new_page, name="clue_new"),
    path("enforcement/clues/from-case/<int:case_id>/", views.clue_from_case_page, name="clue_from_case"),
    path("enforcement/cases/<int:pk>/", views.case_detail_page, name="detail"),
    path("enforcement/cases/<int:pk>/acts/<str:act>/", views.case_act_page, name="act"),
    path("enforcement/cases/<int:pk>/suggestion/", views.suggestion_fragment, name="suggestion"),
    path("enforcement/cases/<int:pk>/evidence/", views.evidence_upload_page, name="evidence_upload"),
    path("enforcement/cases/<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("enforcement/cases/<int:pk>/documents/<int:doc_id>/", views.document_download, name="document"),
    path("enforcement/cases/<int:pk>/approval-form/", views.approval_sheet_page, name="approval_sheet"),
    path("enforcement/cases/<int:pk>/file-review/", views.file_review_page, name="file_review"),
    path("enforcement/review/", views.review_queue_page, name="review_queue"),
    path("enforcement/approvals/", views.approvals_page, name="approvals"),
    path("enforcement/reports/idle/", views.idle_report_page, name="idle_report"),
    path("enforcement/powers/", views.powers_admin_page, name="powers_admin"),
    path("enforcement/powers/<str:what>.csv", views.powers_export, name="powers_export"),
    path("enforcement/cases/<int:pk>/briefings/", linkage_views.case_brief_page, name="brief"),
    path("enforcement/cases/<int:pk>/referrals/<int:referral_id>/procuratorate/", linkage_views.procuratorate_record_page,
         name="procuratorate_record"),
    path("enforcement/referrals/<int:pk>/package.zip", linkage_views.referral_package, name="referral_package"),
    path("enforcement/police/", linkage_views.police_page, name="police"),
    path("enforcement/police/referrals/<int:pk>/", linkage_views.police_referral_page, name="police_referral"),
    path("enforcement/police/briefings/<int:pk>/ack/", linkage_views.police_briefing_ack, name="police_briefing_ack"),
    # public, no login
    path("enforcement/public/powers/", public_views.powers_page, name="public_powers"),
    path("enforcement/public/powers/<str:code>/", public_views.power_detail_page, name="public_power"),
    path("enforcement/public/decisions/", public_views.decisions_page, name="public_decisions"),
    path("enforcement/public/decisions/<int:pk>/", public_views.decision_detail_page, name="public_decision"),
]
