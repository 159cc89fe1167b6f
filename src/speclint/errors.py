"""The one exception type that ends a run with exit status 2 and one clear line."""


class UsageError(Exception):
    """Bad usage, configuration or rule file: printed as one line, exit 2."""
