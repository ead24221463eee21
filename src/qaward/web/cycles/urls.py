"""The pages of cycles and applications: the office console and the applicant portal.

Mounted by ``qaward.web.urls`` in the console namespace ``awards``
(``{% url 'awards:...' %}``)."""

from django.urls import path

from .views import office, portal

urlpatterns = [
    path("console/<slug:code>/", office.console, name="console"),
    path("console/<slug:code>/sign-off/", office.head_desk, name="head_desk"),
    path("console/<slug:code>/contact/", office.office_contact, name="office_contact"),
    path("console/<slug:code>/cycles/new/", office.cycle_open, name="cycle_open"),
    path("console/cycles/<int:pk>/", office.cycle_detail, name="cycle_detail"),
    path("console/cycles/<int:pk>/batch/", office.application_batch, name="application_batch"),
    path("console/cycles/<int:pk>/policy/", office.cycle_repin, name="cycle_repin"),
    path("console/applications/<int:pk>/", office.application_detail,
         name="application_detail"),
    path("console/applications/<int:pk>/screen/", office.eligibility_screen,
         name="eligibility_screen"),
    path("console/applications/<int:pk>/eligibility/checks/", office.manual_check_record,
         name="manual_check_record"),
    path("console/applications/<int:pk>/eligibility/decide/", office.eligibility_decide,
         name="eligibility_decide"),
    path("console/applications/<int:pk>/eligibility/sign-off/", office.eligibility_sign_off,
         name="eligibility_sign_off"),
    path("console/applications/<int:pk>/eligibility/conclude/", office.eligibility_conclude,
         name="eligibility_conclude"),
    path("console/applications/<int:pk>/return/", office.application_return,
         name="application_return"),
    path("console/applications/<int:pk>/transition/", office.application_transition,
         name="application_transition"),
    path("documents/<int:pk>/", office.document_download, name="document_download"),
    # Applicant portal
    path("portal/", portal.portal, name="portal"),
    path("portal/applications/new/", portal.portal_create, name="portal_create"),
    path("portal/applications/<int:pk>/", portal.portal_application, name="portal_application"),
    path("portal/applications/<int:pk>/profile/", portal.portal_profile, name="portal_profile"),
    path("portal/applications/<int:pk>/upload/", portal.portal_upload, name="portal_upload"),
    path("portal/applications/<int:pk>/submit/", portal.portal_submit, name="portal_submit"),
]
