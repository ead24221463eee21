"""The public notice board, mounted at /notices/ (namespace ``public``, no login)."""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/print/", views.notice_print, name="notice_print"),
    path("objections/status/", views.objection_status, name="objection_status"),
]
