"""The expert review as plain Python: assignment, conflicts, scores, ranking, shortlist, reports."""
