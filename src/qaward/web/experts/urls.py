"""The pool pages, mounted in the console namespace ``awards``."""

from django.urls import path

from . import views

urlpatterns = [
    path("console/<slug:code>/experts/", views.pool, name="expert_pool"),
    path("console/<slug:code>/experts/new/", views.expert_new, name="expert_new"),
    path("console/experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("console/cycles/<int:pk>/experts/", views.cycle_pool, name="cycle_pool"),
    path("console/cycles/<int:pk>/conflicts/", views.cycle_conflicts, name="cycle_conflicts"),
    path("console/applications/<int:pk>/recuse/", views.staff_recuse, name="staff_recuse"),
    path("review/cycles/<int:pk>/pledge/", views.pledge, name="expert_pledge"),
    path("review/cycles/<int:pk>/declare/", views.declare, name="expert_declare"),
]
