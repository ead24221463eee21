"""The pages of the office console, the applicant portal and the department (namespace
``awards``). The public notice board (``public_urls``) and the API are mounted beside it."""

from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    path("", views.home, name="home"),
    # Staff of a jurisdiction: office (actions), reviewers, committee, auditors (read-only)
    path("console/<slug:code>/", views.console, name="console"),
    path("console/<slug:code>/cycles/new/", views.cycle_open, name="cycle_open"),
    path("console/<slug:code>/audit/", views.audit_log, name="audit_log"),
    path("console/cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("console/cycles/<int:pk>/invitations/new/", views.invitation_create,
         name="invitation_create"),
    path("console/cycles/<int:pk>/notices/<slug:stage>/new/", views.notice_publish,
         name="notice_publish"),
    path("console/notices/<int:pk>/", views.notice_objections, name="notice_objections"),
    path("console/objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("console/objections/<int:pk>/assign/", views.objection_assign,
         name="objection_assign"),
    path("console/objections/<int:pk>/decide/", views.objection_decide,
         name="objection_decide"),
    path("console/objection-evidence/<int:pk>/", views.objection_evidence,
         name="objection_evidence"),
    path("console/applications/<int:pk>/", views.application_detail,
         name="application_detail"),
    path("console/applications/<int:pk>/screen/", views.eligibility_screen,
         name="eligibility_screen"),
    path("console/applications/<int:pk>/eligibility/decide/", views.eligibility_decide,
         name="eligibility_decide"),
    path("console/applications/<int:pk>/eligibility/sign-off/", views.eligibility_sign_off,
         name="eligibility_sign_off"),
    path("console/applications/<int:pk>/eligibility/conclude/", views.eligibility_conclude,
         name="eligibility_conclude"),
    path("console/applications/<int:pk>/return/", views.application_return,
         name="application_return"),
    path("console/applications/<int:pk>/transition/", views.application_transition,
         name="application_transition"),
    path("console/applications/<int:pk>/consultations/", views.consultation_add,
         name="consultation_add"),
    path("console/consultations/<int:pk>/answer/", views.consultation_answer_view,
         name="consultation_answer"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    # Applicant portal
    path("portal/", views.portal, name="portal"),
    path("portal/applications/new/", views.portal_create, name="portal_create"),
    path("portal/applications/<int:pk>/", views.portal_application, name="portal_application"),
    path("portal/applications/<int:pk>/profile/", views.portal_profile, name="portal_profile"),
    path("portal/applications/<int:pk>/upload/", views.portal_upload, name="portal_upload"),
    path("portal/applications/<int:pk>/submit/", views.portal_submit, name="portal_submit"),
    path("portal/invitations/<int:pk>/<slug:answer>/", views.invitation_respond_view,
         name="invitation_respond"),
    # Recommending department
    path("department/", views.department, name="department"),
    path("department/applications/<int:pk>/", views.department_application,
         name="department_application"),
]
