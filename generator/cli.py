"""``portal``: the command line for offices, maintainers and CI. Calls the same pipeline as
the MkDocs plugin. User errors print a message and exit non-zero; never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .config import Settings, load_settings
from .diagnostics import PortalError, Severity, UsageError

_CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Berkas mkdocs.yml portal (bawaan: mkdocs.yml di folder ini atau folder di atasnya).",
)


def _settings(config_file: Path | None) -> Settings:
    return load_settings(config_file if config_file is not None else _find_config())


def _find_config() -> Path:
    """``mkdocs.yml`` of the repository the command runs in: in the current folder or the
    nearest folder above it, so that commands work from ``content/<wilayah>/`` too."""
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    raise UsageError(
        "mkdocs.yml tidak ditemukan di folder ini atau folder di atasnya; jalankan perintah "
        "di dalam folder repositori portal (atau beri --config)"
    )


def _from_current_folder(paths: tuple[Path, ...], root: Path) -> list[Path]:
    """Relative paths are written from the current folder; the checks take them from the
    repository root. Paths that leave the repository stay as they are (FILE008 says so)."""
    here = Path.cwd().resolve()
    if here == root or not here.is_relative_to(root):
        return list(paths)
    prefix = here.relative_to(root)
    return [p if p.is_absolute() else Path(os.path.normpath(prefix / p)) for p in paths]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def portal() -> None:
    """Portal Informasi Nasional: periksa, buat dan bangun rilis."""


@portal.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--changed-from", metavar="REF", help="Periksa hanya berkas yang berubah sejak REF git."
)
@click.option("--strict", is_flag=True, help="Peringatan juga dianggap gagal.")
@_CONFIG_OPTION
def check(
    paths: tuple[Path, ...], changed_from: str | None, strict: bool, config_file: Path | None
) -> None:
    """Validasi registri wilayah dan rilis; semua masalah dicetak sekaligus."""
    from .check import run_check

    settings = _settings(config_file)
    targets = _from_current_folder(paths, settings.root.resolve())
    diagnostics = run_check(settings, targets, changed_from=changed_from)
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for diagnostic in diagnostics:
        click.echo(diagnostic.format())
        if annotate:
            click.echo(diagnostic.github_annotation())
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    failed = errors > 0 or (strict and warnings > 0)
    summary = f"{errors} kesalahan, {warnings} peringatan"
    click.echo(("GAGAL: " if failed else "OK: ") + summary, err=True)
    sys.exit(1 if failed else 0)


@portal.command()
@click.argument("region_id")
@click.argument("title")
@_CONFIG_OPTION
def new(region_id: str, title: str, config_file: Path | None) -> None:
    """Buat berkas rilis baru untuk REGION_ID dengan judul TITLE."""
    from .scaffold import new_release

    path = new_release(_settings(config_file), region_id, title)
    click.echo(str(path))


@portal.group()
def regions() -> None:
    """Registri wilayah."""


@regions.command("import")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("data/wilayah"),
    show_default=True,
    help="Folder provinces.csv dan regencies.csv.",
)
@click.option("--regions-dir", default="regions", show_default=True)
def import_command(data_dir: Path, regions_dir: str) -> None:
    """Tulis regions/<id>.yml dari data wilayah resmi (idempoten)."""
    from .regions import import_regions

    if not (data_dir / "provinces.csv").is_file() or not (data_dir / "regencies.csv").is_file():
        raise PortalError(f"{data_dir}: provinces.csv dan regencies.csv tidak ditemukan")
    written, unchanged = import_regions(Path.cwd(), data_dir, regions_dir)
    click.echo(f"{written} berkas ditulis, {unchanged} tidak berubah")


@portal.command()
@_CONFIG_OPTION
def codeowners(config_file: Path | None) -> None:
    """Tulis .github/CODEOWNERS dari registri wilayah."""
    from .codeowners import write_codeowners

    path = write_codeowners(_settings(config_file))
    click.echo(str(path))


@portal.command()
@click.option("--changed-from", metavar="REF", required=True)
@_CONFIG_OPTION
def summary(changed_from: str, config_file: Path | None) -> None:
    """Ringkasan Markdown rilis yang ditambah/diubah (untuk GITHUB_STEP_SUMMARY)."""
    from .summary import pull_request_summary

    click.echo(pull_request_summary(_settings(config_file), changed_from))


@portal.command()
@click.option("--strict", is_flag=True, help="Hentikan pada peringatan MkDocs.")
@_CONFIG_OPTION
def build(strict: bool, config_file: Path | None) -> None:
    """Bangun portal ke site/ (sama dengan `mkdocs build`)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(str(config_file or _find_config()), strict=strict)
        mkdocs_build(config)
    except MkDocsException as exc:
        raise PortalError(str(exc)) from exc


def main() -> None:
    try:
        portal(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Dibatalkan.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except PortalError as exc:
        click.echo(exc.format(), err=True)
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
