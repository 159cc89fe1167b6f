"""``python -m speclint``: same program as the ``speclint`` script.

``python -m`` puts the working directory first on ``sys.path``. speclint lints repositories it
does not trust, so speclint.entry drops that entry before anything else is imported: nothing in
the linted folder (a ``click.py``, a ``pathlib.py``, a ``yaml/`` package, an
``evil-1.0.dist-info`` registering a ``speclint.checks`` plugin) may be imported or seen as
installed. This module imports nothing else, the package's ``__init__`` only ``os``.
"""

from speclint.entry import main

if __name__ == "__main__":
    main()
