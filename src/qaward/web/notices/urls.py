"""The pages of the office's notices and objections.

Mounted by ``qaward.web.urls`` in the console namespace ``awards``
(``{% url 'awards:...' %}``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("console/cycles/<int:pk>/notices/<slug:stage>/new/", views.notice_publish,
         name="notice_publish"),
    path("console/notices/<int:pk>/", views.notice_objections, name="notice_objections"),
    path("console/objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("console/objections/<int:pk>/assign/", views.objection_assign,
         name="objection_assign"),
    path("console/objections/<int:pk>/decide/", views.objection_decide,
         name="objection_decide"),
    path("console/objections/<int:pk>/removal/", views.objection_removal,
         name="objection_removal"),
    path("console/objection-evidence/<int:pk>/", views.objection_evidence,
         name="objection_evidence"),
]
