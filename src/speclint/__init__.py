"""speclint: lint technical product specs written in Markdown."""

import os

__version__ = "0.1.0"


def rules_folder() -> str:
    """The built-in rules folder: inside the wheel, or at the repository root. (Plain
    ``os.path``: speclintd's caller reads it and must stay light.)"""
    package = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(package, "rules")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(package))), "rules")
