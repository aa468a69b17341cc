"""Pieces every page shares: the app shell and header (`shell`), the export bar (`export`), the
store-unavailable and stale panels (`unavailable`), the not-found panel (`not_found`)."""

__all__ = ["export", "not_found", "shell", "unavailable"]
