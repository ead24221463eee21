"""qaward: run a district quality award (区长质量奖) under its own regulation."""

__version__ = "0.1.0"
