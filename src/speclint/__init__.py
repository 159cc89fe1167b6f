"""speclint: lint technical product specs written in Markdown."""

__version__ = "0.1.0"
