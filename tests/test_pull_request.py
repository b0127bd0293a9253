"""A pull request simulated end to end: a temporary git repository with a ``main`` branch and
pull-request branches, on which the commands of ``.github/workflows/pull-request.yml`` run
exactly as GitHub runs them (installed ``portal``/``mkdocs`` executables, ``GITHUB_ACTIONS=true``,
``origin/main`` as the base), and the embargo of a scheduled publish build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import REPO, PortalRepo
from test_workflows import run_step

PORTAL = REPO / ".venv" / "bin" / "portal"
MKDOCS = REPO / ".venv" / "bin" / "mkdocs"
BASE = "origin/main"

EXISTING = "content/kota-bandung/2026/2026-10-05-rapat-koordinasi.md"
GOOD = "content/kota-makassar/2026/2026-11-20-festival-literasi-makassar.md"
BAD = "content/kota-jayapura/2026/2026-11-03-vaksinasi-keliling.md"
GOOD_TITLE = "Festival Literasi Makassar Digelar di Pantai Losari"
SUMMARY_TEXT = (
    '"Pemerintah Kota Makassar menggelar festival literasi selama tiga hari dengan '
    'lapak buku gratis dan lomba bercerita."'
)


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=30
    )
    return completed.stdout


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", message)


def run_tool(
    root: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run an installed console script in the repository, as a workflow step does."""
    full_env = {
        k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "SOURCE_DATE_EPOCH")
    }
    full_env.update(env or {})
    return subprocess.run(
        [*args], cwd=root, capture_output=True, text=True, env=full_env, timeout=300, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> PortalRepo:
    """A portal on ``main`` with one published release; ``origin/main`` points at it, as after
    ``actions/checkout`` with ``fetch-depth: 0``."""
    portal = PortalRepo(tmp_path / "repo")
    portal.write_release("kota-bandung", "2026-10-05 09:00", "rapat-koordinasi")
    shutil.copy(REPO / ".gitignore", portal.root / ".gitignore")  # site/, .cache/, …
    git(portal.root, "init", "--quiet", "--initial-branch", "main")
    git(portal.root, "config", "user.name", "Humas Uji")
    git(portal.root, "config", "user.email", "humas@portal.test")
    git(portal.root, "config", "commit.gpgsign", "false")
    commit_all(portal.root, "Portal awal")
    git(portal.root, "update-ref", "refs/remotes/origin/main", "main")
    return portal


def good_submission(portal: PortalRepo) -> None:
    git(portal.root, "switch", "--quiet", "--create", "pr-baik")
    portal.write_release(
        "kota-makassar",
        "2026-11-20 10:00",
        "festival-literasi-makassar",
        title=f'"{GOOD_TITLE}"',
        summary=SUMMARY_TEXT,
        category="pendidikan",
        publish_at='"2026-11-21 08:00"',
    )
    commit_all(portal.root, "Rilis Kota Makassar")


def bad_submission(portal: PortalRepo) -> None:
    """Two mistakes an office makes: a misspelt key and a category that does not exist."""
    git(portal.root, "switch", "--quiet", "--create", "pr-buruk")
    path = portal.root / BAD
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\n"
        'tittle: "Vaksinasi Keliling di Distrik Abepura"\n'
        'date: "2026-11-03 08:00"\n'
        'summary: "Dinas Kesehatan Kota Jayapura membuka layanan vaksinasi keliling '
        'di enam kelurahan mulai pekan ini."\n'
        "category: kesehatan-masyarakat\n"
        "---\n\nIsi rilis.\n",
        encoding="utf-8",
    )
    commit_all(portal.root, "Rilis Kota Jayapura")


#: The workflow's steps find ``portal`` and ``mkdocs`` on PATH, as after ``pip install``.
STEP_PATH = f"{REPO / '.venv' / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"


def check(portal: PortalRepo) -> subprocess.CompletedProcess[str]:
    """The workflow's check step, as GitHub runs it (GITHUB_ACTIONS=true, base main)."""
    completed, _, _ = run_step(
        "pull-request.yml",
        "check",
        portal.root,
        {"BASE_REF": "main", "GITHUB_ACTIONS": "true", "PATH": STEP_PATH},
    )
    return completed


def summary(portal: PortalRepo) -> str:
    """What the workflow's summary step appends to ``$GITHUB_STEP_SUMMARY``."""
    completed, _, step_summary = run_step(
        "pull-request.yml", "summary", portal.root, {"BASE_REF": "main", "PATH": STEP_PATH}
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    # The same text as the command prints, so a maintainer can reproduce it locally.
    direct = run_tool(portal.root, str(PORTAL), "summary", "--changed-from", BASE)
    assert direct.stdout == step_summary
    return step_summary


def scope(portal: PortalRepo) -> str:
    completed, outputs, _ = run_step("pull-request.yml", "scope", portal.root, {"BASE_REF": "main"})
    assert completed.returncode == 0, completed.stderr
    return outputs["central"]


# --- a good submission -----------------------------------------------------------------------


def test_good_submission_passes_the_check_without_annotations(repo: PortalRepo) -> None:
    good_submission(repo)
    result = check(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout
    assert "Traceback" not in result.stderr


def test_good_submission_summary_lists_the_release_as_it_will_be_published(
    repo: PortalRepo,
) -> None:
    good_submission(repo)
    text = summary(repo)
    assert "1 rilis baru, 0 rilis diubah, 0 berkas dihapus" in text
    assert f"#### {GOOD_TITLE}" in text
    assert "**Wilayah:** Kota Makassar (`kota-makassar`, WITA)" in text
    assert "**Tanggal:** Jumat, 20 November 2026 10.00 WITA" in text
    assert (
        "**Alamat:** https://portal.test/kota-makassar/2026/2026-11-20-festival-literasi-makassar/"
        in text
    )
    assert "**Embargo:** tidak tampil sebelum Sabtu, 21 November 2026 08.00 WITA" in text
    assert "**diembargo**" in text
    assert f"**Berkas:** `{GOOD}`" in text
    # Nothing to warn about: no problems, nothing outside the office's own folder.
    assert "[!CAUTION]" not in text
    assert "Perlu tinjauan tim pusat" not in text
    assert EXISTING not in text, "unchanged releases are not listed"
    assert scope(repo) == "false"


def test_good_submission_builds_the_preview_site(repo: PortalRepo) -> None:
    good_submission(repo)
    completed, _, _ = run_step("pull-request.yml", "build", repo.root, {"PATH": STEP_PATH})
    assert completed.returncode == 0, completed.stdout + completed.stderr
    # The artifact the workflow uploads is site/: the existing release is in it; the new one
    # is embargoed until 21 November 2026 and the test portal's build time is 1 November.
    assert (
        repo.root / "site" / "kota-bandung/2026/2026-10-05-rapat-koordinasi/index.html"
    ).is_file()
    assert not (
        repo.root / "site" / "kota-makassar/2026/2026-11-20-festival-literasi-makassar"
    ).exists()


def test_summary_includes_uncommitted_changes_of_the_working_tree(repo: PortalRepo) -> None:
    good_submission(repo)
    path = repo.root / EXISTING
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"Rapat Koordinasi Kehumasan"', '"Rapat Koordinasi Kehumasan Diperluas"'
        ),
        encoding="utf-8",
    )
    text = summary(repo)
    assert "1 rilis baru, 1 rilis diubah" in text
    assert "#### Rapat Koordinasi Kehumasan Diperluas" in text
    assert "**Status:** diubah; terbit setelah digabungkan" in text
    assert "**Tanggal:** Senin, 5 Oktober 2026 09.00 WIB" in text


# --- a bad submission ------------------------------------------------------------------------


def _annotations(stdout: str) -> list[dict[str, str]]:
    found = []
    for line in stdout.splitlines():
        match = re.fullmatch(
            r"::(?P<kind>error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),"
            r"col=(?P<col>\d+)(?:,title=(?P<title>[^:]+))?::(?P<message>.+)",
            line,
        )
        if match:
            found.append(match.groupdict())
    return found


def test_bad_submission_fails_with_annotations_on_the_lines(repo: PortalRepo) -> None:
    bad_submission(repo)
    result = check(repo)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "GAGAL" in result.stderr
    errors = [a for a in _annotations(result.stdout) if a["kind"] == "error"]
    assert {a["file"] for a in errors} == {BAD}
    # The misspelt key where it is, the title it leaves missing (reported at the closing
    # "---"), the unknown category at its value.
    places = {(int(a["line"]), int(a["col"]), a["title"]) for a in errors}
    assert places == {(2, 1, "REL004"), (5, 11, "REL015"), (6, 1, "REL005")}
    by_code = {a["title"]: a["message"] for a in errors}
    assert "'tittle'" in by_code["REL004"] and "'title'" in by_code["REL004"]
    assert "'kesehatan-masyarakat'" in by_code["REL015"]
    # Each annotation repeats a plain `path:line:col: CODE message` line for the log.
    for a in errors:
        assert f"{a['file']}:{a['line']}:{a['col']}: {a['message']}" in result.stdout


def test_bad_submission_summary_names_the_file_and_points_to_the_check(
    repo: PortalRepo,
) -> None:
    bad_submission(repo)
    text = summary(repo)
    assert "1 rilis baru" in text
    assert "> [!CAUTION]" in text
    assert "Pemeriksaan menemukan" in text
    assert "**Periksa rilis yang berubah**" in text
    assert f"#### `{BAD}`" in text
    assert "**Wilayah:** Kota Jayapura (`kota-jayapura`, WIT)" in text
    assert "tidak dapat dibaca" in text
    # The problems themselves, so the reviewer need not open the log.
    assert "  - baris 2, kolom 1: `REL004` kunci 'tittle' tidak dikenal" in text
    assert "  - baris 5, kolom 11: `REL015` kategori 'kesehatan-masyarakat'" in text


def test_changes_outside_region_folders_are_flagged_for_the_central_team(
    repo: PortalRepo,
) -> None:
    good_submission(repo)
    categories = repo.root / "content" / "categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8")
        + "olahraga:\n  label: Olahraga\n  description: Kegiatan olahraga dan kepemudaan.\n",
        encoding="utf-8",
    )
    commit_all(repo.root, "Kategori baru")
    text = summary(repo)
    assert "**Perlu tinjauan tim pusat** (`@portal-nasional/tim-pusat`)" in text
    assert "> - `content/categories.yml` (diubah)" in text
    assert f"`{GOOD}`" not in text.split("### Rilis baru dan diubah")[0], "only central files"
    assert scope(repo) == "true"


def test_deleted_release_is_listed_with_the_withdrawal_advice(repo: PortalRepo) -> None:
    git(repo.root, "switch", "--quiet", "--create", "pr-hapus")
    git(repo.root, "rm", "--quiet", EXISTING)
    commit_all(repo.root, "Hapus rilis")
    text = summary(repo)
    assert "0 rilis baru, 0 rilis diubah, 1 berkas dihapus" in text
    assert f"- `{EXISTING}` (dihapus)" in text
    assert "`withdrawn`" in text
    assert scope(repo) == "false"


def test_unknown_base_ref_is_a_message_not_a_traceback(repo: PortalRepo) -> None:
    result = run_tool(repo.root, str(PORTAL), "summary", "--changed-from", "origin/tidak-ada")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "git merge-base gagal" in result.stderr


# --- the embargo in a scheduled build ----------------------------------------------------------

EMBARGOED_PAGE = Path("kota-bandung/2026/2026-11-19-pengumuman-cpns/index.html")


@pytest.fixture
def embargo_repo(tmp_path: Path) -> PortalRepo:
    portal = PortalRepo(tmp_path / "repo")
    # 08.00 WIB on 20 November 2026 is 01:00 UTC.
    portal.write_release(
        "kota-bandung",
        "2026-11-19 10:00",
        "pengumuman-cpns",
        title='"Pengumuman Hasil Seleksi CPNS Kota Bandung"',
        publish_at='"2026-11-20 08:00"',
    )
    return portal


def build(portal: PortalRepo, site: Path, env: Mapping[str, str] | None = None) -> Path:
    result = run_tool(
        portal.root, str(MKDOCS), "build", "-q", "-f", str(portal.root / "mkdocs.yml"),
        "-d", str(site), env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.mark.parametrize(
    ("build_time", "visible"),
    [("2026-11-20T00:59:59+00:00", False), ("2026-11-20T01:00:00+00:00", True)],
)
def test_embargoed_release_appears_once_the_build_time_passes_publish_at(
    embargo_repo: PortalRepo, tmp_path: Path, build_time: str, visible: bool
) -> None:
    embargo_repo.write_config(f'build_time: "{build_time}"')
    site = build(embargo_repo, tmp_path / "site")
    assert (site / EMBARGOED_PAGE).is_file() is visible
    region_page = (site / "kota-bandung" / "index.html").read_text(encoding="utf-8")
    assert ("Pengumuman Hasil Seleksi CPNS Kota Bandung" in region_page) is visible


@pytest.mark.parametrize(("epoch", "visible"), [(1795136399, False), (1795136400, True)])
def test_scheduled_build_uses_source_date_epoch_as_build_time(
    embargo_repo: PortalRepo, tmp_path: Path, epoch: int, visible: bool
) -> None:
    """The publish workflow sets no build_time; a build at a given moment (here fixed by
    SOURCE_DATE_EPOCH, 2026-11-20 01:00:00 UTC minus one second, and exactly) decides."""
    config = embargo_repo.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        "\n".join(line for line in text.splitlines() if "build_time:" not in line) + "\n",
        encoding="utf-8",
    )
    site = build(embargo_repo, tmp_path / "site", env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert (site / EMBARGOED_PAGE).is_file() is visible


def test_contributor_text_cannot_inject_markup_into_the_summary(repo: PortalRepo) -> None:
    git(repo.root, "switch", "--quiet", "--create", "pr-markup")
    repo.write_release(
        "kota-pontianak",
        "2026-10-20 07:30",
        "gerakan-bersih-sungai",
        # What the validator lets through as plain text, but Markdown would still interpret.
        title='"Gerakan *Bersih* Sungai_Kapuas [Tahap 2] | @humas, jarak < 5 km & 3>2"',
    )
    commit_all(repo.root, "Rilis dengan tanda baca")
    text = summary(repo)
    heading = next(line for line in text.splitlines() if line.startswith("#### "))
    assert heading == (
        r"#### Gerakan \*Bersih\* Sungai\_Kapuas \[Tahap 2\] \| \@humas, jarak \< 5 km \& 3\>2"
    )
    assert "**Tanggal:** Selasa, 20 Oktober 2026 07.30 WIB" in text  # Pontianak is WIB too


def test_other_files_in_a_region_folder_are_listed_and_checked(repo: PortalRepo) -> None:
    git(repo.root, "switch", "--quiet", "--create", "pr-lampiran")
    stray = repo.root / "content" / "kota-bandung" / "2026" / "catatan rapat.txt"
    stray.write_text("catatan\n", encoding="utf-8")
    commit_all(repo.root, "Lampiran")
    text = summary(repo)
    assert "### Berkas lain di folder wilayah" in text
    assert "- `content/kota-bandung/2026/catatan rapat.txt` (baru)" in text
    assert "> [!CAUTION]" in text, "the misplaced file is an error of the check, too"
    result = check(repo)
    assert result.returncode == 1
    assert "::error file=content/kota-bandung/2026/catatan rapat.txt," in result.stdout


def test_portal_in_a_sub_folder_of_the_repository(tmp_path: Path) -> None:
    """Paths in the summary are relative to the portal (where mkdocs.yml is), like the check's."""
    portal = PortalRepo(tmp_path / "monorepo" / "portal")
    top = tmp_path / "monorepo"
    (top / "README.md").write_text("# Monorepo\n", encoding="utf-8")
    git(top, "init", "--quiet", "--initial-branch", "main")
    git(top, "config", "user.name", "Humas Uji")
    git(top, "config", "user.email", "humas@portal.test")
    commit_all(top, "Awal")
    git(top, "update-ref", "refs/remotes/origin/main", "main")
    git(top, "switch", "--quiet", "--create", "pr-baik")
    release_file = portal.write_release("kota-makassar", "2026-10-20 10:00", "rapat")
    (top / "README.md").write_text("# Monorepo diubah\n", encoding="utf-8")
    commit_all(top, "Rilis")
    assert release_file.is_file()
    text = summary(portal)
    assert "**Berkas:** `content/kota-makassar/2026/2026-10-20-rapat.md`" in text
    assert "README.md" not in text, "files outside the portal are not the portal's business"
