"""The pages of the audit log.

Mounted by ``qaward.web.urls`` in the console namespace ``awards``
(``{% url 'awards:...' %}``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("console/<slug:code>/audit/", views.audit_log, name="audit_log"),
]
