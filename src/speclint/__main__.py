"""``python -m speclint``: same program as the ``speclint`` script.

``python -m`` puts the working directory first on ``sys.path``. speclint lints repositories it
does not trust, so that entry goes before anything else is imported: nothing in the linted
folder (a ``click.py``, a ``yaml/`` package, an ``evil-1.0.dist-info`` registering a
``speclint.checks`` plugin) may be imported or seen as installed. See speclint/trust.py.
"""

import sys

from speclint.trust import drop_working_directory

drop_working_directory(sys.path)

from speclint.cli import main  # noqa: E402 - only once sys.path is clean

if __name__ == "__main__":
    main(prog_name="speclint")
