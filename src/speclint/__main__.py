"""``python -m speclint``: same program as the ``speclint`` script."""

from speclint.cli import main

if __name__ == "__main__":
    main(prog_name="speclint")
