"""The Django web layer around the pure core: persistence, permissions, UI and API."""
