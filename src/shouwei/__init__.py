"""首位 (shouwei): command platform for a development zone's economic work."""

__version__ = "0.1.0"
