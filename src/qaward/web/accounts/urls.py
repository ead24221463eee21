"""The pages of accounts (the home page).

Mounted by ``qaward.web.urls`` in the console namespace ``awards``
(``{% url 'awards:...' %}``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
