"""The review's pages: each part of the review owns its urls module."""

from qaward.web.review import urls_ranking, urls_sheets, urls_teams

urlpatterns = [*urls_teams.urlpatterns, *urls_sheets.urlpatterns, *urls_ranking.urlpatterns]
