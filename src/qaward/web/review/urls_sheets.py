"""The sheets pages of the review: the reviewer's sheet and team page, the office's progress,
visit plan and ratings, the applicant's site-review page (namespace ``awards``)."""

from django.urls import URLPattern, path

from qaward.web.review.views import sheets as views

urlpatterns: list[URLPattern] = [
    path("review/", views.my_teams, name="review_my_teams"),
    path("review/teams/<int:pk>/sheet/", views.sheet, name="review_sheet"),
    path("review/teams/<int:pk>/", views.team, name="review_team"),
    path("console/review/teams/<int:pk>/visit/", views.visit_plan, name="review_visit_plan"),
    path("console/cycles/<int:pk>/review/<slug:stage>/progress/", views.progress,
         name="review_progress"),
    path("console/cycles/<int:pk>/review/ratings/", views.ratings, name="review_ratings"),
    path("portal/review/teams/<int:pk>/", views.portal_site_review,
         name="portal_site_review"),
]
