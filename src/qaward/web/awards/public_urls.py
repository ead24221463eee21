"""The public notice board, mounted at /notices/ (no login)."""

from django.urls import path

from . import public_views

app_name = "public"
urlpatterns = [
    path("", public_views.notice_list, name="notice_list"),
    path("<int:pk>/", public_views.notice_detail, name="notice_detail"),
]
