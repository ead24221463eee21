"""The duties' pages, mounted in the console namespace ``awards``."""

from django.urls import path

from . import views

urlpatterns = [
    path("console/cycles/<int:pk>/duties/<slug:duty_id>/done/", views.duty_done,
         name="duty_done"),
]
