"""``portal new``: a correctly named release in the region's zone with a commented template."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import REPO, PortalRepo

from generator import strictyaml as sy
from generator.check import run_check
from generator.diagnostics import UsageError
from generator.releases import RELEASE_KEYS
from generator.scaffold import new_release, slug_from_title

PORTAL = REPO / ".venv" / "bin" / "portal"
# 16:30 UTC on 28 November is already the 29th in Jayapura (UTC+9) but not in Jakarta (UTC+7).
NOW = datetime(2026, 11, 28, 16, 30, tzinfo=UTC)


def fill(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        'summary: ""',
        'summary: "Pemerintah daerah menggelar rapat koordinasi kehumasan bersama seluruh '
        'perangkat daerah."',
    ).replace("category:\n", "category: pemerintahan\n")
    path.write_text(text, encoding="utf-8")


def test_name_date_and_zone(portal_repo: PortalRepo) -> None:
    east = new_release(portal_repo.settings(), "kota-jayapura", "Rapat Koordinasi", now=NOW)
    west = new_release(portal_repo.settings(), "kota-bandung", "Rapat Koordinasi", now=NOW)
    assert east.relative_to(portal_repo.root).as_posix() == (
        "content/kota-jayapura/2026/2026-11-29-rapat-koordinasi.md"
    )
    assert west.relative_to(portal_repo.root).as_posix() == (
        "content/kota-bandung/2026/2026-11-28-rapat-koordinasi.md"
    )
    assert 'date: "2026-11-29 01:30"' in east.read_text(encoding="utf-8")
    assert 'date: "2026-11-28 23:30"' in west.read_text(encoding="utf-8")
    assert "(WIT)" in east.read_text(encoding="utf-8")


def test_template_fails_until_filled_then_passes(portal_repo: PortalRepo) -> None:
    settings = portal_repo.settings()
    # Written at the build time: a release dated after it would draw REL037 (future date).
    path = new_release(settings, "kota-makassar", 'Festival "Literasi" 2026', settings.build_time)
    rel = path.relative_to(portal_repo.root).as_posix()
    problems = run_check(portal_repo.settings(), [], changed_from=None)
    assert {(d.path, d.code) for d in problems} == {(rel, "REL005")}
    assert len(problems) == 2  # summary and category are empty
    fill(path)
    assert run_check(portal_repo.settings(), [], changed_from=None) == []


def test_every_key_is_explained_and_the_commented_example_is_valid(
    portal_repo: PortalRepo,
) -> None:
    path = new_release(portal_repo.settings(), "kota-bandung", "Rapat", NOW)
    text = path.read_text(encoding="utf-8")
    for key in RELEASE_KEYS:
        if key == "region":
            continue  # optional and redundant with the folder: not offered
        assert f"# {key}:" in text or f"\n{key}:" in text, key
    # uncommenting the optional keys (except claim, which needs the hoax type) still parses
    front = text.split("---\n")[1]
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and ":" in line.split()[1] else line
        for line in front.splitlines()
    )
    tree, problems = sy.parse(uncommented, "x")
    assert problems == [] and isinstance(tree, sy.Mapping)


def test_refuses_to_overwrite(portal_repo: PortalRepo) -> None:
    path = new_release(portal_repo.settings(), "kota-bandung", "Rapat", NOW)
    path.write_text("isi penting", encoding="utf-8")
    with pytest.raises(UsageError, match="sudah ada"):
        new_release(portal_repo.settings(), "kota-bandung", "Rapat", NOW)
    assert path.read_text(encoding="utf-8") == "isi penting"


def test_unknown_region_suggests_close_ids(portal_repo: PortalRepo) -> None:
    with pytest.raises(UsageError, match="kota-bandung"):
        new_release(portal_repo.settings(), "kota-bandug", "Rapat", NOW)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Rapat Koordinasi: Humas 2024!", "rapat-koordinasi-humas-2024"),
        ("Peresmian Jembatan Café — Tahap II", "peresmian-jembatan-cafe-tahap-ii"),
        ("a" * 90, "a" * 80),
        ("kata " * 30, ("kata-" * 16).rstrip("-")),
    ],
)
def test_slug_from_title(title: str, slug: str) -> None:
    assert slug_from_title(title) == slug


def test_cli_new(portal_repo: PortalRepo) -> None:
    done = subprocess.run(
        [str(PORTAL), "new", "papua", "Layanan Darurat"],
        cwd=portal_repo.root,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    created = Path(done.stdout.strip())
    assert created.is_file() and created.name.endswith("-layanan-darurat.md")
    again = subprocess.run(
        [str(PORTAL), "new", "papuaa", "Layanan Darurat"],
        cwd=portal_repo.root,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert again.returncode == 2
    assert "papua" in again.stderr and "Traceback" not in again.stderr


def test_a_title_the_check_would_refuse_is_refused_at_once(portal_repo: PortalRepo) -> None:
    with pytest.raises(UsageError, match="tanpa HTML atau Markdown; hapus '<b"):
        new_release(portal_repo.settings(), "kota-bandung", "Rapat <b>penting</b>", NOW)
    with pytest.raises(UsageError, match="huruf latin"):
        new_release(portal_repo.settings(), "kota-bandung", "اجتماع التنسيق", NOW)
    assert not list((portal_repo.root / "content" / "kota-bandung").rglob("*.md"))
