"""Command-line interface (SPEC 4). Parses options, runs the pipeline, picks the exit status."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

from speclint.entry import drop_working_directory

# speclint.entry drops the working directory from sys.path before anything is imported; this
# second call is for programs that import speclint.cli themselves: from here on nothing in the
# linted repository (a click.py, a yaml/ package) may be imported (see speclint/trust.py)
drop_working_directory(sys.path)

import click  # noqa: E402 - only once sys.path is clean

from speclint import __version__  # noqa: E402
from speclint.errors import UsageError  # noqa: E402
from speclint.report import FORMATS  # noqa: E402

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


class SpeclintGroup(click.Group):
    """Turn UsageError into one line and exit 2; never show a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """click prints bad usage as a four-line block; speclint prints one line (exit 2)."""
        kwargs["standalone_mode"] = False
        try:
            status = super().main(*args, **kwargs)
        except click.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare 'speclint': the help
                click.echo(exc.format_message(), err=True)
                sys.exit(EXIT_ERROR)
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            click.echo(f"speclint: error: {exc.format_message()}{where}", err=True)
            sys.exit(EXIT_ERROR)
        except click.ClickException as exc:
            click.echo(f"speclint: error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("speclint: interrupted", err=True)
            sys.exit(130)
        sys.exit(status if isinstance(status, int) else EXIT_OK)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"speclint: error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("speclint: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence
            if os.environ.get("SPECLINT_DEBUG"):
                raise
            click.echo(f"speclint: internal error: {type(exc).__name__}: {exc} "
                       "(please report a bug; set SPECLINT_DEBUG=1 for details)", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=SpeclintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="speclint", message="%(prog)s %(version)s")
def main() -> None:
    """speclint: lint technical product specs (PRDs) written in Markdown."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: text).")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--profile", help="Profile for files that do not name one.")
@click.option("--select", multiple=True, help="Only these rules (codes, names or elements).")
@click.option("--ignore", multiple=True, help="Skip these rules (codes, names or elements).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Lowest severity that makes the exit status 1 (default: error).")
@click.option("--max-warnings", type=click.IntRange(min=0), help="Exit 1 above N warnings.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Use this configuration file instead of discovery.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Hide known findings.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record every current finding as the baseline (entries of files not "
                   "linted are kept); exit 0 once written.")
@click.option("--changed-since", help="Lint only Markdown files changed since this git ref.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the result cache.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              help="Colour output (honours NO_COLOR and FORCE_COLOR).")
@click.option("--quiet", "-q", is_flag=True, help="Findings only: no hints, no summary.")
@click.option("--statistics", is_flag=True, help="Counts per rule.")
@click.option("--stdin-filename", help="Name for the spec read from stdin ('-').")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def check(**options: object) -> None:
    """Lint spec files and folders (default: configured include globs, else '.')."""
    gc.disable()  # importing the pipeline makes objects that all live on: nothing to collect
    try:
        from speclint.runner import run_check

        gc.freeze()  # and no later collection (nor a forked worker's) walks them again
    finally:
        gc.enable()
    sys.exit(run_check(options))


@main.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text")
@click.pass_context
def rules(ctx: click.Context, fmt: str) -> None:
    """List every rule: code, name, element, default severity, summary."""
    if ctx.invoked_subcommand is None:
        from speclint.authoring import list_rules

        click.echo(list_rules(fmt), nl=False)


@rules.command("test")
@click.argument("paths", nargs=-1)
def rules_test(paths: tuple[str, ...]) -> None:
    """Run the examples of every rule (built-in, or the rule files under PATHS)."""
    from speclint.authoring import test_rules

    sys.exit(test_rules(paths))


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """What RULE checks, why, a failing and a passing example."""
    from speclint.authoring import explain_rule

    click.echo(explain_rule(rule), nl=False)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--profile", default="technical", help="Profile the template must pass.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(file: str, profile: str, force: bool) -> None:
    """Write a spec template that passes its profile."""
    from speclint.authoring import write_template

    write_template(Path(file), profile, force)
    click.echo(f"wrote {file} (profile {profile}); fill in the sections and run "
               f"'speclint check {file}'")


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing .speclint.yaml.")
def init(force: bool) -> None:
    """Write a commented starter .speclint.yaml."""
    from speclint.authoring import write_config

    write_config(Path(".speclint.yaml"), force)
    click.echo("wrote .speclint.yaml")
