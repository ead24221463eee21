"""The expert review of a cycle: teams per application and stage, score sheets, consensus,
ranking and shortlist, the review reports. Its rules live in ``qaward.core.review``."""
