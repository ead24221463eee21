"""The teams pages of the review: the office's teams per cycle and scored stage, and the
reviewer's tasks (names ``review_*`` in the ``awards`` namespace)."""

from django.urls import URLPattern, path

from qaward.web.review.views import teams

urlpatterns: list[URLPattern] = [
    path("console/cycles/<int:pk>/review/<str:stage>/teams/", teams.teams_page,
         name="review_teams"),
    path("console/cycles/<int:pk>/review/<str:stage>/teams/propose", teams.teams_propose,
         name="review_teams_propose"),
    path("console/cycles/<int:pk>/review/<str:stage>/teams/proposals/<int:proposal>/accept",
         teams.teams_accept, name="review_teams_accept"),
    path("console/cycles/<int:pk>/review/<str:stage>/teams/recusals", teams.teams_recuse_blocked,
         name="review_teams_recuse"),
    path("console/review/teams/<int:pk>/adjust", teams.team_adjust, name="review_team_adjust"),
    path("review/tasks/", teams.review_tasks, name="review_tasks"),
    path("review/tasks/<int:pk>/", teams.review_application, name="review_application"),
    path("review/tasks/<int:pk>/documents/<int:doc>", teams.review_document,
         name="review_document"),
]
