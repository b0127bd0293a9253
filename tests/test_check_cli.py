"""``portal check`` as offices and CI run it: the installed command in a real repository."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import REPO, PortalRepo

from generator.check import changed_files, run_check
from generator.diagnostics import UsageError

PORTAL = REPO / ".venv" / "bin" / "portal"
LINE_RE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d{3}) .+$")
BAD = "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"


def portal(root: Path, *args: str, github: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS",)}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run(
        [str(PORTAL), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Uji", "-c", "user.email=uji@portal.test", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout


def test_clean_repository_exits_zero(portal_repo: PortalRepo) -> None:
    portal_repo.write_release()
    done = portal(portal_repo.root, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "0 kesalahan" in done.stderr


def test_every_problem_at_once_with_exit_one(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(tittle='"x"', draft="NO")
    portal_repo.write_release(slug="kedua", category="tidak-ada")
    (portal_repo.root / "content" / "kota-bandung" / "2024" / "catatan.txt").write_text("x")
    bad_bytes = portal_repo.root / "content" / "papua" / "2024" / "2024-01-02-biner.md"
    bad_bytes.parent.mkdir(parents=True)
    bad_bytes.write_bytes(b"---\ntitle: \xff\n")
    done = portal(portal_repo.root, "check")
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert all(LINE_RE.match(line) for line in lines), lines
    found = {(m["path"], m["line"], m["code"]) for m in map(LINE_RE.match, lines) if m}
    assert found == {
        (BAD, "6", "REL004"),
        (BAD, "7", "REL018"),
        (BAD.replace("rapat-koordinasi", "kedua"), "5", "REL015"),
        ("content/kota-bandung/2024/catatan.txt", "1", "REL033"),
        ("content/papua/2024/2024-01-02-biner.md", "2", "FILE005"),
    }
    assert lines == sorted(lines, key=lambda x: (x.split(":")[0], int(x.split(":")[1])))
    assert "5 kesalahan" in done.stderr


def test_github_annotations(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(draft="off")
    done = portal(portal_repo.root, "check", github=True)
    assert done.returncode == 1
    assert f"::error file={BAD},line=6,col=8,title=REL018::REL018 " in done.stdout


def test_warnings_fail_only_with_strict(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(body="![](foto.png)\n")
    (portal_repo.root / "content/kota-bandung/2024/foto.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    )
    done = portal(portal_repo.root, "check")
    assert done.returncode == 0 and "MD005 peringatan:" in done.stdout
    assert portal(portal_repo.root, "check", "--strict").returncode == 1


def test_paths_limit_the_detailed_check(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(draft="NO")
    good = portal_repo.write_release(slug="baik")
    rel = good.relative_to(portal_repo.root).as_posix()
    assert portal(portal_repo.root, "check", rel).returncode == 0
    assert portal(portal_repo.root, "check", str(good)).returncode == 0  # absolute, inside
    folder = portal(portal_repo.root, "check", "content/kota-bandung")
    assert folder.returncode == 1 and "REL018" in folder.stdout
    missing = portal(portal_repo.root, "check", "content/tidak-ada.md")
    assert missing.returncode == 1 and "content/tidak-ada.md:1:1: FILE001" in missing.stdout
    for outside in ("../luar.md", "/etc/passwd", "content\\kota-bandung\\x.md"):
        done = portal(portal_repo.root, "check", outside)
        assert done.returncode == 1 and "FILE008" in done.stdout, outside
        assert "Traceback" not in done.stderr


def test_check_runs_from_a_region_folder_with_paths_from_there(portal_repo: PortalRepo) -> None:
    """An office works inside its own folder: the configuration is found above it, and a
    path is read from where the command runs, reported from the repository root."""
    portal_repo.write_release(draft="NO")
    portal_repo.write_release(slug="baik")
    folder = portal_repo.root / "content" / "kota-bandung"
    whole = portal(folder, "check")
    assert whole.returncode == 1 and f"{BAD}:" in whole.stdout
    one = portal(folder, "check", "2024/2024-05-18-baik.md")
    assert one.returncode == 0, one.stdout + one.stderr
    bad = portal(folder, "check", "2024/2024-05-18-rapat-koordinasi.md")
    assert bad.returncode == 1 and f"{BAD}:" in bad.stdout and "REL018" in bad.stdout
    escape = portal(folder, "check", "../../../luar.md")
    assert escape.returncode == 1 and "FILE008" in escape.stdout


def test_outside_a_portal_repository_the_message_says_where_to_run(tmp_path: Path) -> None:
    done = portal(tmp_path, "check")
    assert done.returncode == 2, done.stderr
    assert "mkdocs.yml tidak ditemukan" in done.stderr and "Traceback" not in done.stderr


def test_registry_and_categories_problems_are_reported(portal_repo: PortalRepo) -> None:
    region = portal_repo.root / "regions" / "kota-bandung.yml"
    region.write_text(
        region.read_text(encoding="utf-8").replace("timezone: Asia/Jakarta", "timezone: WIB"),
        encoding="utf-8",
    )
    categories = portal_repo.root / "content" / "categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8") + "Olahraga:\n  lable: Olahraga\n",
        encoding="utf-8",
    )
    done = portal(portal_repo.root, "check")
    assert done.returncode == 1
    assert re.search(r"^regions/kota-bandung\.yml:\d+:11: REG011 ", done.stdout, re.M)
    assert re.search(r"^content/categories\.yml:\d+:1: CAT003 ", done.stdout, re.M)
    assert re.search(r"^content/categories\.yml:\d+:3: CAT004 .*'label'", done.stdout, re.M)


def test_bad_config_is_a_message_not_a_traceback(portal_repo: PortalRepo) -> None:
    done = portal(portal_repo.root, "check", "--config", "tidak-ada.yml")
    assert done.returncode == 2 and "Traceback" not in done.stderr


# --- --changed-from --------------------------------------------------------------------------


@pytest.fixture
def git_repo(portal_repo: PortalRepo) -> PortalRepo:
    """A committed portal with one broken release already on ``main``."""
    portal_repo.write_release(draft="NO")  # someone else's old problem
    root = portal_repo.root
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "awal")
    git(root, "switch", "--quiet", "-c", "usulan")
    return portal_repo


def test_changed_from_checks_only_the_change(git_repo: PortalRepo) -> None:
    root = git_repo.root
    committed = git_repo.write_release("kota-makassar", "2024-06-01 10:00", "festival")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "rilis")
    untracked = git_repo.write_release("kota-makassar", "2024-06-02 10:00", "lanjutan", draft="x")
    assert changed_files(root, "main") == [
        committed.relative_to(root).as_posix(),
        untracked.relative_to(root).as_posix(),
    ]
    done = portal(root, "check", "--changed-from", "main")
    assert done.returncode == 1
    assert "2024-06-02-lanjutan.md:6:8: REL018" in done.stdout
    assert BAD not in done.stdout  # the old problem is not this change's


def test_changed_from_still_checks_uniqueness_against_everything(git_repo: PortalRepo) -> None:
    root = git_repo.root
    copy = root / "content/kota-bandung/2023/2024-05-18-rapat-koordinasi.md"
    copy.parent.mkdir(parents=True)
    copy.write_text((root / BAD).read_text(encoding="utf-8"), encoding="utf-8")
    done = portal(root, "check", "--changed-from", "main")
    assert done.returncode == 1
    assert f"{BAD}:1:1: REL034" in done.stdout
    assert "content/kota-bandung/2023/2024-05-18-rapat-koordinasi.md:1:1: REL034" in done.stdout


def test_ownership_warning(git_repo: PortalRepo) -> None:
    root = git_repo.root
    git(root, "switch", "--quiet", "main")  # the registry already names the maintainers
    region = root / "regions" / "kota-makassar.yml"
    region.write_text(
        region.read_text(encoding="utf-8").replace(
            "maintainers: []", "maintainers:\n- '@humas-makassar'"
        ),
        encoding="utf-8",
    )
    git(root, "commit", "--quiet", "-am", "pengelola")
    git(root, "switch", "--quiet", "-c", "campuran")
    git_repo.write_release("kota-makassar", "2024-06-01 10:00", "festival")
    git_repo.write_release("kota-jayapura", "2024-06-01 10:00", "pasar")
    done = portal(root, "check", "--changed-from", "main")
    assert done.returncode == 0, done.stdout
    assert "OWN001 peringatan:" in done.stdout and "@humas-makassar" in done.stdout
    assert portal(root, "check", "--changed-from", "main", "--strict").returncode == 1
    problems = run_check(git_repo.settings(), [], changed_from="main")
    assert {d.code for d in problems} == {"OWN001"}
    assert len(problems) == 2  # one per region folder


def test_unknown_ref_is_a_usage_error(git_repo: PortalRepo) -> None:
    with pytest.raises(UsageError):
        run_check(git_repo.settings(), [], changed_from="tidak-ada")
    done = portal(git_repo.root, "check", "--changed-from", "tidak-ada")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_sample_content_passes() -> None:
    done = portal(REPO, "check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_removed_release_is_a_warning(git_repo: PortalRepo) -> None:
    root = git_repo.root
    git(root, "rm", "--quiet", BAD)
    problems = run_check(git_repo.settings(), [], changed_from="main")
    assert [(d.path, d.code, d.severity.value) for d in problems] == [(BAD, "REL035", "warning")]


def test_registry_change_checks_the_whole_archive(git_repo: PortalRepo) -> None:
    root = git_repo.root
    region = root / "regions" / "kota-makassar.yml"
    region.write_text(region.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    problems = run_check(git_repo.settings(), [], changed_from="main")
    # the old problem in kota-bandung is reported: a registry change may break any release
    assert {(d.path, d.code) for d in problems} == {(BAD, "REL018")}


def test_every_bad_input_of_the_issue_in_one_run(portal_repo: PortalRepo) -> None:
    """Issue 2, "portal check … must catch at least": one file per case, one run."""
    import time

    folder = portal_repo.root / "content" / "kota-bandung" / "2024"
    good = portal_repo.write_release().read_text(encoding="utf-8")

    def put(name: str, data: str | bytes) -> str:
        path = Path(os.path.normpath(folder / name))
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        return path.relative_to(portal_repo.root).as_posix()

    def variant(old: str, new: str) -> str:
        assert old in good
        return good.replace(old, new)

    title = 'title: "Rapat Koordinasi Kehumasan"'
    cases = {
        put("2024-05-18-latin1.md", variant(title, "title: caf\xe9").encode("latin-1")): (
            "FILE005",
            2,
        ),
        put("2024-05-18-nul.md", variant(title, "title: a\x00b")): ("FILE004", 2),
        put("2024-05-18-kontrol.md", variant(title, "title: a\x07b")): ("FILE007", 2),
        put("2024-05-18-bidi.md", variant(title, "title: a\u202eb")): ("FILE006", 2),
        put("2024-05-18-besar.md", good + "kata " * 50_000): ("FILE003", 1),
        put("2024-05-18-tanpa-fm.md", "# Judul\n"): ("REL001", 1),
        put("2024-05-18-tak-ditutup.md", good.replace("\n---\n", "\n", 1)[:60]): ("REL002", 1),
        put("2024-05-18-tag.md", variant(title, "title: !!python/object:os.system x")): (
            "YAML002",
            2,
        ),
        put("2024-05-18-anchor.md", variant(title, "title: &a x")): ("YAML003", 2),
        put("2024-05-18-ganda.md", variant("category: pemerintahan", "category: a\ntitle: b")): (
            "YAML004",
            6,
        ),
        put("2024-05-18-no.md", good.replace("---\n\n", "draft: NO\n---\n\n")): ("REL018", 6),
        put("2024-05-18-tgl.md", variant('"2024-05-18 16:30"', '"2024-02-30 16:30"')): (
            "REL012",
            3,
        ),
        put("2024-05-18-beda.md", variant('"2024-05-18 16:30"', '"2024-05-19 16:30"')): (
            "REL013",
            3,
        ),
        put("2024-05-18-kategori.md", variant("category: pemerintahan", "category: x")): (
            "REL015",
            5,
        ),
        put("2024-05-18-jenis.md", good.replace("---\n\n", "type: opini\n---\n\n")): ("REL016", 6),
        put(
            "2024-05-18-vonis.md",
            good.replace(
                "---\n\n",
                "type: klarifikasi-hoaks\nclaim: {text: x, verdict: palsu}\n---\n\n",
            ),
        ): ("REL022", 7),
        put("2024-05-18-Huruf.md", good): ("REL031", 1),
        put("2024-05-18-gambar.md", good.replace("---\n\n", "image: ../../x.png\n---\n\n")): (
            "IMG002",
            6,
        ),
        put("2024-05-18-js.md", good + "\n[x](&#106;avascript:alert(1))\n"): ("MD001", 10),
        put("2024-05-18-html.md", good + "\n<iframe src=x></iframe>\n"): ("MD002", 10),
        put("2024-05-18-sarang.md", good + "\n" + "[" * 3000 + "\n"): ("MD004", 10),
        put("../2023/2024-05-18-rapat-koordinasi.md", good): ("REL034", 1),
    }
    link = folder / "2024-05-18-tautan.md"
    link.symlink_to(folder / "2024-05-18-rapat-koordinasi.md")
    cases[link.relative_to(portal_repo.root).as_posix()] = ("FILE002", 1)
    started = time.monotonic()
    done = portal(portal_repo.root, "check")
    assert time.monotonic() - started < 20
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    reported = {
        (m["path"], m["code"], int(m["line"]))
        for m in map(LINE_RE.match, done.stdout.splitlines())
        if m
    }
    for path, (code, line) in cases.items():
        assert (path, code, line) in reported, (path, code, line)
