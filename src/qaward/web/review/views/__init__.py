"""The review's pages, one module per part (teams, sheets, ranking)."""
