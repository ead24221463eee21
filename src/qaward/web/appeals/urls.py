"""The appeals' pages, mounted in the console namespace ``awards``."""

from django.urls import path

from . import views

urlpatterns = [
    path("portal/applications/<int:pk>/appeal/", views.appeal_file, name="appeal_file"),
    path("console/appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
]
