"""The pages of recommendations: the department's pages, invitations and consultations.

Mounted by ``qaward.web.urls`` in the console namespace ``awards``
(``{% url 'awards:...' %}``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("console/cycles/<int:pk>/invitations/new/", views.invitation_create,
         name="invitation_create"),
    path("console/applications/<int:pk>/consultations/", views.consultation_add,
         name="consultation_add"),
    path("console/consultations/<int:pk>/answer/", views.consultation_answer_view,
         name="consultation_answer"),
    path("portal/invitations/<int:pk>/<slug:answer>/", views.invitation_respond_view,
         name="invitation_respond"),
    path("department/", views.department, name="department"),
    path("department/applications/<int:pk>/", views.department_application,
         name="department_application"),
]
