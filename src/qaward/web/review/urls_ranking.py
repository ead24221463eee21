"""The ranking pages of the review."""

from django.urls import URLPattern, path

from qaward.web.review.views import ranking as views

urlpatterns: list[URLPattern] = [
    path("console/cycles/<int:pk>/ranking/<str:stage>/", views.ranking_overview,
         name="ranking_overview"),
    path("console/cycles/<int:pk>/shortlist/", views.shortlist, name="ranking_shortlist"),
    path("console/cycles/<int:pk>/reports/<str:stage>/release/", views.reports_release,
         name="ranking_reports_release"),
    path("console/applications/<int:pk>/reviewers/<str:stage>.xlsx", views.reviewer_table,
         name="ranking_reviewer_table"),
    path("portal/applications/<int:pk>/reports/", views.portal_reports, name="portal_reports"),
    path("portal/reports/<int:pk>.pdf", views.report_download, name="report_download"),
]
