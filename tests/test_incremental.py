"""Incremental, cached and parallel builds are never stale (issue 6, items 3 and 4).

Every test runs real ``mkdocs build``s of a fixture portal in ``tmp_path`` and compares the
sha256 of every file of the output tree before and after one change against the set of files
that *must* change: the files whose old bytes show what was changed (a title, a region's name,
a category label, the theme's palette). Nothing else may change, and a build with the cache
deleted must be byte-identical to the cached build.
"""

from __future__ import annotations

import hashlib
import io
import logging
import marshal
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
from conftest import REPO, PortalRepo
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator import feeds as feeds_stage
from generator import pipeline
from generator.cache import BackgroundWrites, BuildCache, SourceSnapshot
from generator.config import settings_from_plugin
from generator.model import Release
from generator.pages import PortalPages
from generator.plugin import PortalPlugin
from generator.render_pool import Progress, run_tasks
from generator.search import (
    INDEX_DIR,
    SearchRecord,
    build_index,
    document_id,
    fragment_path,
    record_from_html,
)

LOGO = REPO / "generator" / "theme" / "assets" / "logo.png"
CACHE = Path(".cache") / "portal"


# --- helpers -------------------------------------------------------------------------------


def build_site(root: Path, site: Path | None = None) -> Path:
    """A strict in-process ``mkdocs build`` of ``root`` (the same as the CLI runs)."""
    site = site or root / "site"
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    build(config)
    return site


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def search_records(site: Path) -> list[SearchRecord]:
    """The search record of every indexed page of a built site, read from its HTML."""
    records = []
    for path in sorted(site.rglob("*.html")):
        url = path.relative_to(site).as_posix().removesuffix("index.html")
        if (record := record_from_html(url, path.read_bytes())) is not None:
            records.append(record)
    return records


def index_changes(before: list[SearchRecord], after: list[SearchRecord]) -> set[str]:
    """The search index files that must change when the indexed pages' records go from
    ``before`` to ``after``: those that differ between the two indexes built from nothing."""
    old, new = build_index(before), build_index(after)
    return {f"{INDEX_DIR}/{p}" for p in old.keys() | new.keys() if old.get(p) != new.get(p)}


def split_index(paths: set[str]) -> tuple[set[str], set[str]]:
    """(outputs outside the search index, search index files)."""
    index = {path for path in paths if path.startswith(f"{INDEX_DIR}/")}
    return paths - index, index


def files_showing(site: Path, text: str, ignore: str | None = None) -> set[str]:
    """Output files whose bytes contain ``text`` (not counting occurrences inside ``ignore``);
    the search index is checked on its own (:func:`index_changes`)."""
    found = set()
    for path in sorted(site.rglob("*")):
        if path.relative_to(site).as_posix().startswith(f"{INDEX_DIR}/"):
            continue
        if not path.is_file() or path.suffix not in (".html", ".xml", ".atom", ".json", ".opml"):
            continue
        data = path.read_text(encoding="utf-8")
        if ignore:
            data = data.replace(ignore, "")
        if text in data:
            found.add(path.relative_to(site).as_posix())
    return found


def rendered_count(caplog: pytest.LogCaptureFixture) -> int:
    """How many detached pages the last build rendered (not reused), from its log line."""
    counts = [
        int(match.group(1))
        for record in caplog.records
        if (match := re.search(r"dipakai ulang dari cache, (\d+) dirender", record.getMessage()))
    ]
    assert counts, "the build did not report its page cache use"
    return counts[-1]


TITLES = (
    "Posyandu Keliling Menjangkau Warga",
    "Pasar Murah Jelang Hari Raya",
    "Kerja Bakti Membersihkan Sungai",
    "Festival Kota Bandung Digelar",
    "Pelatihan UMKM Digital",
    "Perbaikan Jalan Lingkar Selatan",
    "Vaksinasi Anak Sekolah",
    "Lomba Kampung Bersih",
    "Penyaluran Bantuan Pangan",
    "Pameran Produk Lokal",
)


def write_portal(root: Path) -> PortalRepo:
    """Enough releases (page_size 2) that the page and feed work is spread over workers."""
    repo = PortalRepo(root)
    repo.write_config(extra_plugin_options="page_size: 2")
    image_dir = root / "content" / "kota-bandung" / "2024"
    image_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(LOGO, image_dir / "foto-rapat.png")
    repo.write_release(
        "kota-bandung",
        "2024-05-18 16:30",
        "rapat-koordinasi",
        title='"Rapat Koordinasi Kehumasan"',
        tags="[kehumasan, rapat]",
        image="foto-rapat.png",
        image_alt='"Peserta rapat koordinasi di Balai Kota"',
    )
    regions = ("kota-bandung", "kota-makassar", "kabupaten-bandung", "kota-jayapura", "pusat")
    categories = ("pemerintahan", "kebencanaan", "kesehatan", "ekonomi")
    for index in range(40):
        region = regions[index % len(regions)]
        day = f"2024-{1 + index % 12:02d}-{1 + index % 27:02d} {8 + index % 9:02d}:15"
        title = f"{TITLES[index % len(TITLES)]} Nomor {index}"
        repo.write_release(
            region,
            day,
            f"rilis-nomor-{index}",
            title=f'"{title}"',
            category=categories[index % len(categories)],
            tags=f"[topik-{index % 3}]",
            body=f"Isi rilis nomor {index} dengan **penekanan**.\n\n- butir satu\n- butir dua\n",
        )
    repo.write_release(
        "kota-jayapura",
        "2024-06-01 08:00",
        "hoaks-daun-x",
        title='"Klarifikasi Kabar Daun X"',
        type="klarifikasi-hoaks",
        category="kesehatan",
        claim='{text: "Daun X menyembuhkan semua penyakit", verdict: hoaks}',
    )
    repo.write_release(
        "kota-makassar",
        "2024-02-01 10:00",
        "jadwal-lama",
        title='"Jadwal Lama Yang Ditarik"',
        withdrawn='{date: "2024-02-03 09:00", reason: "Jadwal dibatalkan."}',
    )
    return repo


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two worker processes even on a one-core runner, so the pool is what is tested."""
    monkeypatch.setenv("PORTAL_JOBS", "2")


@pytest.fixture
def built(tmp_path: Path, parallel: None) -> Iterator[tuple[PortalRepo, Path, dict[str, str]]]:
    repo = write_portal(tmp_path / "repo")
    site = build_site(repo.root)
    yield repo, site, tree_digest(site)


# --- equivalence -----------------------------------------------------------------------------


def test_portal_renders_pages_exactly_as_mkdocs_own_loop(
    tmp_path: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages rendered outside MkDocs (cached, on two workers) equal MkDocs' serial output."""
    repo = write_portal(tmp_path / "repo")
    ours = tree_digest(build_site(repo.root, tmp_path / "ours"))
    shutil.rmtree(repo.root / CACHE)
    monkeypatch.setattr(PortalPlugin, "render_outside_mkdocs", False)
    monkeypatch.setenv("PORTAL_JOBS", "1")
    theirs = tree_digest(build_site(repo.root, tmp_path / "theirs"))
    assert len(ours) > 150
    assert ours == theirs


def test_no_change_rebuild_renders_nothing_and_changes_no_byte(
    built: tuple[PortalRepo, Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    repo, site, before = built

    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise AssertionError("an unchanged page was rendered again")

    # Neither a page nor a feed item may be rendered, nor a release file parsed again.
    monkeypatch.setattr("generator.pages.render_release", refuse)
    monkeypatch.setattr("generator.feeds.item_content_html", refuse)
    monkeypatch.setattr(pipeline, "load_releases", refuse)
    published = site.stat().st_ino
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert any("Tidak ada keluaran yang berubah" in r.getMessage() for r in caplog.records)
    assert tree_digest(site) == before
    assert site.stat().st_ino == published  # left as it was: not even swapped
    assert not [p for p in repo.root.iterdir() if p.name.startswith(".site.tmp-")]


def test_a_deleted_site_is_rebuilt_from_the_cache(
    built: tuple[PortalRepo, Path, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    repo, site, before = built
    shutil.rmtree(site)
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert rendered_count(caplog) == 0
    assert tree_digest(site) == before


def test_build_without_cache_is_byte_identical_to_cached_build(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, _site, _cold = built
    repo.write_release(
        "kota-makassar", "2024-08-08 08:08", "rilis-baru", title='"Rilis Baru Makassar"'
    )
    cached = tree_digest(build_site(repo.root))
    shutil.rmtree(repo.root / CACHE)
    assert tree_digest(build_site(repo.root)) == cached
    assert "kota-makassar/2024/2024-08-08-rilis-baru/index.html" in cached


# --- double-buffered publication ------------------------------------------------------------


def spare_updates(caplog: pytest.LogCaptureFixture) -> list[tuple[int, int]]:
    """(replaced, deleted) of every build that brought the spare folder up to date."""
    return [
        (int(match.group(1)), int(match.group(2)))
        for record in caplog.records
        if (
            match := re.search(
                r"cadangan diperbarui: (\d+) berkas diganti, (\d+) dihapus", record.getMessage()
            )
        )
    ]


def keys_recorded(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The page and feed cache keys the last build of ``root`` recorded."""
    state = marshal.loads((root / CACHE / "state.marshal").read_bytes())
    return dict(state["pages"]), dict(state["feeds"])


def fresh_build(repo: PortalRepo, folder: Path) -> dict[str, str]:
    """The same sources built with no cache and no previous output, into ``folder``."""
    copy = folder / "repo"
    shutil.copytree(repo.root, copy, ignore=shutil.ignore_patterns(".cache", "site", ".site.*"))
    return tree_digest(build_site(copy))


def test_the_spare_folder_is_brought_up_to_date_with_only_what_changed(
    built: tuple[PortalRepo, Path, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """From the second build on, the folder published two builds ago is updated file by file
    (edits, a new release, a deleted release, a new image) and swapped in (the cold build
    leaves a spare linked from its own folder); after every build ``site/`` equals a build
    from scratch, byte for byte and file for file."""
    repo, site, _cold = built
    release = repo.root / "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"
    steps = [
        lambda: release.write_text(release.read_text(encoding="utf-8") + "\nKalimat baru.\n"),
        lambda: repo.write_release(
            "kota-makassar", "2024-12-30 08:00", "rilis-akhir-tahun", title='"Rilis Akhir Tahun"'
        ),
        lambda: (repo.root / "content/pusat/2024/2024-05-05-rilis-nomor-4.md").unlink(),
        lambda: release.write_text(release.read_text(encoding="utf-8") + "\nKalimat lagi.\n"),
    ]
    for number, step in enumerate(steps):
        step()
        caplog.clear()
        with caplog.at_level(logging.INFO):
            build_site(repo.root)
        updates = spare_updates(caplog)
        assert len(updates) == 1, updates  # every build after the cold one uses the spare
        expected = fresh_build(repo, tmp_path / f"fresh-{number}")
        assert tree_digest(site) == expected
        if updates:
            replaced, deleted = updates[0]
            assert 0 < replaced < len(expected) / 4  # only what changed, not the archive
            # The spare is two builds behind: it loses the deleted release in builds 3 and 4.
            assert (deleted > 0) == (number >= 2)
    assert "pusat/2024/2024-05-05-rilis-nomor-4/index.html" not in tree_digest(site)
    assert (repo.root / ".site.spare").is_dir()


def test_a_cold_build_leaves_a_spare_linked_to_its_own_files(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    """So that the first rebuild replaces only what changed instead of linking every file."""
    repo, site, cold = built
    spare = repo.root / ".site.spare"
    assert tree_digest(spare) == cold
    page = next(site.rglob("index.html"))
    assert page.stat().st_ino == (spare / page.relative_to(site)).stat().st_ino


def test_switching_search_off_leaves_no_search_index_in_the_spare(
    tmp_path: Path, parallel: None, caplog: pytest.LogCaptureFixture
) -> None:
    """The spare still holds the search index of a build with search on; a build with
    search off must not publish it."""
    repo = write_portal(tmp_path / "repo")
    repo.write_config(extra_plugin_options="page_size: 2\nsearch: true")
    site = build_site(repo.root)
    release = repo.root / "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"
    release.write_text(release.read_text(encoding="utf-8") + "\nSatu.\n", encoding="utf-8")
    build_site(repo.root)
    index = "cari/indeks/meta.json"
    assert (site / index).is_file() and (repo.root / ".site.spare" / index).is_file()
    repo.write_config(extra_plugin_options="page_size: 2\nsearch: false")
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert spare_updates(caplog)  # the spare (with its bundle) was the folder brought up to date
    assert not (site / "cari/indeks").exists()
    assert tree_digest(site) == fresh_build(repo, tmp_path / "fresh")


def test_image_copies_stay_cached_across_a_no_change_build(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, site, before = built
    files = repo.root / CACHE / "files"
    copies = sorted(p.name for p in files.rglob("*") if p.is_file())
    assert len(copies) == 1  # foto-rapat.png
    build_site(repo.root)  # nothing changed
    assert sorted(p.name for p in files.rglob("*") if p.is_file()) == copies
    assert tree_digest(site) == before


def test_a_hand_edited_site_is_never_used_as_the_spare(
    built: tuple[PortalRepo, Path, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A file added to ``site/`` by hand makes that folder untrusted: when it would become the
    spare it is deleted instead, and a new spare is linked from the folder just published, so
    the stray file never comes back."""
    repo, site, _cold = built
    release = repo.root / "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"
    release.write_text(release.read_text(encoding="utf-8") + "\nSatu.\n")
    build_site(repo.root)
    (site / "tambahan-tangan.html").write_text("bukan dari build", encoding="utf-8")
    release.write_text(release.read_text(encoding="utf-8") + "\nDua.\n")
    build_site(repo.root)  # the spare is the cold build's folder: still trusted
    release.write_text(release.read_text(encoding="utf-8") + "\nTiga.\n")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert not (site / "tambahan-tangan.html").exists()
    assert not (repo.root / ".site.spare" / "tambahan-tangan.html").exists()
    assert tree_digest(site) == fresh_build(repo, tmp_path / "fresh")


def test_a_build_failing_after_the_spare_was_touched_leaves_site_and_recovers(
    built: tuple[PortalRepo, Path, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, site, _cold = built
    release = repo.root / "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"
    for text in ("\nSatu.\n", "\nDua.\n"):
        release.write_text(release.read_text(encoding="utf-8") + text)
        build_site(repo.root)
    published = tree_digest(site)
    release.write_text(release.read_text(encoding="utf-8") + "\nTiga.\n")

    def explode(*_args: object, **_kwargs: object) -> object:
        raise OSError("disk penuh")

    # The spare has been updated; the swap fails.
    monkeypatch.setattr("generator.writer.AtomicBuild._commit_from", explode)
    with pytest.raises((OSError, Abort)):
        build_site(repo.root)
    assert tree_digest(site) == published
    monkeypatch.undo()
    monkeypatch.setenv("PORTAL_JOBS", "2")
    build_site(repo.root)
    assert tree_digest(site) == fresh_build(repo, tmp_path / "fresh")


# --- unchanged sources ---------------------------------------------------------------------------

UNCHANGED = "Tidak ada sumber yang berubah"


def age_sources(root: Path, seconds: int = 120) -> None:
    """Move the mtime of every source file changed in the last ``seconds`` to that moment:
    a snapshot of files changed within two seconds of a scan is never trusted (their next
    change might not move the mtime), and files left alone keep their mtime."""
    moment = time.time() - seconds
    for folder in ("content", "regions", "docs"):
        for path in (root / folder).rglob("*"):
            if path.lstat().st_mtime > moment:
                os.utime(path, (moment, moment), follow_symlinks=False)


def took_shortcut(caplog: pytest.LogCaptureFixture) -> bool:
    return any(UNCHANGED in record.getMessage() for record in caplog.records)


def test_unchanged_sources_leave_site_alone_without_loading_anything(
    built: tuple[PortalRepo, Path, dict[str, str]],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, site, before = built
    age_sources(repo.root)
    build_site(repo.root)  # records the (now trustworthy) sources
    identity = os.stat(site).st_ino

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("sources were loaded")

    monkeypatch.setattr(pipeline, "validate_sources", refuse)
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert took_shortcut(caplog)
    assert os.stat(site).st_ino == identity and tree_digest(site) == before
    assert not list(repo.root.glob(".site.tmp-*"))


@pytest.mark.parametrize(
    "change",
    ["edit", "new file", "delete", "region", "config", "site removed", "nothing"],
)
def test_any_change_to_the_sources_means_a_real_build(
    built: tuple[PortalRepo, Path, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    change: str,
) -> None:
    repo, site, _before = built
    age_sources(repo.root)
    build_site(repo.root)
    release = repo.root / "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"
    if change == "edit":  # same size, new mtime
        text = release.read_text(encoding="utf-8")
        release.write_text(text.replace("Rapat", "Ropat", 1), encoding="utf-8")
    elif change == "new file":
        repo.write_release(date="2024-07-01 09:00", slug="rilis-baru")
    elif change == "delete":
        release.unlink()
    elif change == "region":
        registry = repo.root / "regions" / "kota-makassar.yml"
        registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "config":
        repo.write_config(extra_plugin_options="page_size: 3")
    elif change == "site removed":
        shutil.rmtree(site)
    age_sources(repo.root, 60)  # only what changed gets a (new) old mtime
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert took_shortcut(caplog) == (change == "nothing"), change
    if change == "nothing":
        return
    assert tree_digest(site) == fresh_build(repo, tmp_path / "fresh")


def test_racy_sources_are_never_trusted(
    built: tuple[PortalRepo, Path, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    """Sources modified within two seconds of a scan may change again without their mtime
    moving: their record proves nothing, neither that nothing changed nor which files did."""
    repo, _site, _before = built  # built right after the sources were written
    record = SourceSnapshot.published(repo.root / CACHE)
    assert record["trustworthy"] is False
    assert record["files"] and all(stat is None for stat in record["files"].values())
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert not took_shortcut(caplog)


# --- edit builds ---------------------------------------------------------------------------------

EDIT_BUILD = re.compile(r"Hanya isi (\d+) rilis yang berubah")
RAPAT = "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"


def edit_builds(caplog: pytest.LogCaptureFixture) -> list[int]:
    """How many releases each edit build of the log saw edited."""
    return [
        int(match.group(1))
        for record in caplog.records
        if (match := EDIT_BUILD.search(record.getMessage()))
    ]


def append_to(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_body_edits_are_edit_builds_identical_to_full_builds(
    built: tuple[PortalRepo, Path, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A release whose body alone changed is rebuilt without planning the rest of the site;
    one edit after another (each through the spare; the cold build linked the first) gives the
    site a build from nothing gives, with its own page, its feeds and its search files changed.
    Only the edited releases' feed items are made (the others come from the last feeds), and
    no docs page's Markdown is converted (only their titles show)."""
    repo, site, _cold = built
    age_sources(repo.root)
    build_site(repo.root)  # a trustworthy record of the sources
    items: list[str] = []
    item_content_html = feeds_stage.item_content_html

    def spy_item(release: Release, *args: Any) -> str:
        items.append(release.source_path)
        return item_content_html(release, *args)

    converted: list[str] = []
    convert = markdown.Markdown.convert

    def spy_convert(self: markdown.Markdown, text: str) -> str:
        converted.append(text)
        return convert(self, text)

    monkeypatch.setattr(feeds_stage, "item_content_html", spy_item)
    monkeypatch.setattr(markdown.Markdown, "convert", spy_convert)
    other = repo.root / "content/kota-makassar/2024/2024-02-01-jadwal-lama.md"  # withdrawn
    edits = [
        [RAPAT],
        ["content/pusat/2024/2024-05-05-rilis-nomor-4.md", RAPAT],
        [other.relative_to(repo.root).as_posix()],
    ]
    for number, paths in enumerate(edits):
        before = tree_digest(site)
        for rel in paths:
            append_to(repo.root / rel, f"\nParagraf suntingan ke-{number}.\n")
        caplog.clear()
        items.clear()
        converted.clear()
        with caplog.at_level(logging.INFO):
            build_site(repo.root)
        assert edit_builds(caplog) == [len(paths)], number
        assert set(items) <= set(paths) and (number < 2) == bool(items), items
        assert not [text for text in converted if "Portal uji." in text]
        items.clear()
        converted.clear()
        assert spare_updates(caplog)  # the cold build left a spare
        after = tree_digest(site)
        assert after == fresh_build(repo, tmp_path / f"fresh-{number}")
        # The cache keys recorded are a full build's too (the next build compares with them).
        assert keys_recorded(repo.root) == keys_recorded(tmp_path / f"fresh-{number}" / "repo")
        outputs, _index = split_index(changed(before, after))
        pages = {path for path in outputs if path.endswith(".html")}
        assert len(pages) == len(paths), pages
        # Feeds carry listed releases only: the withdrawn one changes no feed.
        feeds = outputs - pages
        assert bool(feeds) == (number < 2) and all(path.startswith("feeds/") for path in feeds)


def test_release_files_rewritten_with_the_same_bytes_leave_site_alone(
    built: tuple[PortalRepo, Path, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    repo, site, before = built
    age_sources(repo.root)
    build_site(repo.root)
    identity = os.stat(site).st_ino
    release = repo.root / RAPAT
    release.write_bytes(release.read_bytes())  # a new mtime (a checkout, an editor's save)
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert edit_builds(caplog) == [0]
    assert any("Tidak ada keluaran yang berubah" in r.getMessage() for r in caplog.records)
    assert os.stat(site).st_ino == identity and tree_digest(site) == before


@pytest.mark.parametrize(
    "change",
    ["title", "time", "tags", "draft", "image alt", "summary", "new release", "region", "broken"],
)
def test_anything_other_pages_show_means_a_full_build(
    built: tuple[PortalRepo, Path, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    change: str,
) -> None:
    """A change to anything but the body of existing releases (what listings, neighbours and
    related links show, the set of files, the registry) is planned as a full build; a broken
    file is reported as in any build, and site/ stays as it was."""
    repo, site, _cold = built
    age_sources(repo.root)
    build_site(repo.root)
    published = tree_digest(site)
    release = repo.root / RAPAT
    text = release.read_text(encoding="utf-8")
    edits = {
        "title": ("Rapat Koordinasi Kehumasan", "Rapat Koordinasi Humas"),
        "time": ("16:30", "16:45"),
        "tags": ("[kehumasan, rapat]", "[kehumasan]"),
        "draft": ("\n---\n", "\ndraft: true\n---\n"),
        "image alt": ("di Balai Kota", "di Gedung Sate"),
        "summary": ("summary: ", "summary: Diperbarui. "),
        "broken": ("category: pemerintahan", "category: tidak-ada"),
    }
    if change == "new release":
        repo.write_release("kota-makassar", "2024-12-30 08:00", "rilis-baru")
    elif change == "region":
        registry = repo.root / "regions" / "kota-makassar.yml"
        registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        old, new = edits[change]
        assert old in text, change
        release.write_text(text.replace(old, new, 1) + "\nParagraf baru.\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        if change == "broken":
            with pytest.raises(Abort):
                build_site(repo.root)
            assert any("REL" in record.getMessage() for record in caplog.records)
            assert tree_digest(site) == published
            return
        build_site(repo.root)
    assert edit_builds(caplog) == []
    assert tree_digest(site) == fresh_build(repo, tmp_path / "fresh")


def test_an_edit_build_after_other_builds_keeps_every_later_build_exact(
    built: tuple[PortalRepo, Path, dict[str, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Edit builds keep the cache's state whole: a full build after them (a retitled release)
    and a no-change build after that are exact, and an edit of a body twice in a row within
    the racy window is still seen."""
    repo, site, _cold = built
    age_sources(repo.root)
    build_site(repo.root)
    release = repo.root / RAPAT
    with caplog.at_level(logging.INFO):
        append_to(release, "\nSatu.\n")
        build_site(repo.root)
        append_to(release, "\nDua.\n")  # same second as the last scan: racy
        build_site(repo.root)
    assert edit_builds(caplog) == [1, 1]
    assert "Dua." in (site / "kota-bandung/2024/2024-05-18-rapat-koordinasi/index.html").read_text(
        encoding="utf-8"
    )
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace("Rapat Koordinasi", "Rapat Besar", 1), encoding="utf-8")
    build_site(repo.root)
    expected = fresh_build(repo, tmp_path / "fresh")
    assert tree_digest(site) == expected
    age_sources(repo.root)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
        build_site(repo.root)
    assert took_shortcut(caplog) and tree_digest(site) == expected


def test_a_snapshot_names_the_files_changed_since_a_record(tmp_path: Path) -> None:
    """Which files changed, by stat, or None when more than files changed."""
    root = tmp_path / "repo"
    (root / "content" / "a").mkdir(parents=True)
    old = time.time() - 600
    for name in ("one.md", "two.md"):
        path = root / "content" / "a" / name
        path.write_text(name, encoding="utf-8")
        os.utime(path, (old, old))

    def scan(extra: str = "config") -> SourceSnapshot:
        return SourceSnapshot.scan(root, ["content"], extra)

    cache, site = tmp_path / "cache", [1, 2]
    scan().save(cache, site, "2026-01-01", "2026-02-01")
    record = SourceSnapshot.published(cache)
    assert scan().changed_since(record, site, "2026-01-15") == []
    assert scan().unchanged_since(record, site, "2026-01-15")
    without_docs = SourceSnapshot.scan(root, ["content", "docs"], "config")  # no docs/ folder
    assert not without_docs.unchanged_since(record, site, "2026-01-15")
    assert without_docs.changed_since(record, site, "2026-01-15") is None
    one = root / "content" / "a" / "one.md"
    one.write_text("ubah", encoding="utf-8")  # just now: racy, and a new stat
    now = scan()
    assert not now.trustworthy and now.files["content/a/one.md"] is None
    assert now.changed_since(record, site, "2026-01-15") == ["content/a/one.md"]
    assert now.changed_since(record, site, "2026-02-01") is None  # the window ended
    assert now.changed_since(record, [9, 9], "2026-01-15") is None  # another site/
    assert scan("other config").changed_since(record, site, "2026-01-15") is None
    now.save(cache, site, "2026-01-01", None)
    racy = SourceSnapshot.published(cache)
    os.utime(one, (old, old))
    # A file recorded while racy counts as changed next time, whatever its stat.
    assert scan().changed_since(racy, site, "2026-01-15") == ["content/a/one.md"]
    (root / "content" / "a" / "three.md").write_text("baru", encoding="utf-8")
    assert scan().changed_since(racy, site, "2026-01-15") is None  # a new file name


def test_tab_jobs_are_the_planned_pages_mkdocs_renders(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    """The pages an edit build hands MkDocs (for the same navigation) are those of the full
    plan, in the same form."""
    repo, _site, _cold = built
    config = load_config(config_file=str(repo.root / "mkdocs.yml"))
    settings = settings_from_plugin(
        repo.root, config.site_name, config.site_url, config.plugins["portal"].config
    )
    portal, _ = pipeline.validate(settings)
    assert portal is not None
    pages = PortalPages(portal, settings, with_search_page=True)
    release = portal.releases[3]
    planned = [
        job
        for job in pages.jobs
        if job.in_nav or job.kind == "search" or (job.kind == "release" and job.key == release.id)
    ]
    assert list(pages.tab_jobs([release.id])) == planned


def test_an_embargo_ending_means_a_real_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a configured build_time the build judges embargoes at "now" (here
    SOURCE_DATE_EPOCH): once an embargoed release's time has come the sources are the same but
    the site is not."""
    repo = write_portal(tmp_path / "repo")
    repo.write_release(
        date="2024-07-01 09:00", slug="rilis-embargo", publish_at='"2026-12-01 07:00"'
    )
    config = repo.root / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^\s*build_time:.*\n", "", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    age_sources(repo.root)
    url = "kota-bandung/2024/2024-07-01-rilis-embargo/index.html"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793000000")  # 2026-10-26
    site = build_site(repo.root)
    assert not (site / url).exists()
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert took_shortcut(caplog)
    caplog.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796000000")  # 2026-11-30: still embargoed
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert took_shortcut(caplog)
    caplog.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1797000000")  # 2026-12-11: published
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    assert not took_shortcut(caplog)
    assert (site / url).is_file()


# --- one change at a time ----------------------------------------------------------------------


def test_editing_a_body_changes_only_its_page_and_the_feeds_that_carry_it(
    built: tuple[PortalRepo, Path, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    repo, site, before = built
    url = "kota-bandung/2024/2024-06-06-rilis-nomor-5/"
    feeds_with_it = {
        path
        for path in files_showing(site, f"https://portal.test/{url}")
        if path.startswith("feeds/")
    }
    records = search_records(site)
    source = repo.root / "content" / "kota-bandung" / "2024" / "2024-06-06-rilis-nomor-5.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\nParagraf tambahan hasil suntingan.\n",
        encoding="utf-8",
    )
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    after = tree_digest(site)
    assert feeds_with_it  # region, roll-up, national, category and type feeds
    outputs, index = split_index(changed(before, after))
    assert outputs == {f"{url}index.html", *feeds_with_it}
    # The index: the release's own result, the lists and dictionary entries of its four new
    # words ("paragraf", "tambah", "hasil", "sunting") in its year, and meta.json's stamp.
    assert index == index_changes(records, search_records(site))
    assert f"{INDEX_DIR}/{fragment_path(document_id(url))}" in index
    assert f"{INDEX_DIR}/meta.json" in index
    assert 4 <= len(index) <= 2 + 2 * 4
    assert "Paragraf tambahan" in (site / url / "index.html").read_text(encoding="utf-8")
    # Only pages whose inputs name this release are rendered again (page, neighbours, related,
    # the listing pages it is on), not the whole site.
    assert 1 <= rendered_count(caplog) <= 20


def test_retitling_a_release_changes_exactly_the_outputs_that_show_its_title(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, site, before = built
    old_title = "Pelatihan UMKM Digital Nomor 14"
    expected = files_showing(site, old_title)
    records = search_records(site)
    source = next((repo.root / "content").rglob("*-rilis-nomor-14.md"))
    source.write_text(
        source.read_text(encoding="utf-8").replace(old_title, "Pelatihan UMKM Daring Nomor 14"),
        encoding="utf-8",
    )
    build_site(repo.root)
    after = tree_digest(site)
    # The release page, its neighbours, related pages, listings, feeds: all that showed it.
    assert len(expected) > 5
    outputs, index = split_index(changed(before, after))
    assert outputs == expected
    assert index == index_changes(records, search_records(site)) != set()


def test_renaming_a_region_changes_exactly_the_outputs_that_show_its_name(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, site, before = built
    office = "Dinas Komunikasi dan Informatika Kota Makassar"  # unchanged, contains the name
    expected = files_showing(site, "Kota Makassar", ignore=office)
    records = search_records(site)
    registry = repo.root / "regions" / "kota-makassar.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "name: Kota Makassar", "name: Kota Makassar Raya"
        ),
        encoding="utf-8",
    )
    build_site(repo.root)
    after = tree_digest(site)
    assert len(expected) > 10
    outputs, index = split_index(changed(before, after))
    assert outputs == expected
    assert len(expected) < len(before) / 2  # most of the site does not show the name
    # Its releases are found under the new name: new filter lists, new words ("raya").
    assert index == index_changes(records, search_records(site))
    assert f"{INDEX_DIR}/meta.json" in index


def test_relabelling_a_category_changes_exactly_the_outputs_that_show_its_label(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, site, before = built
    expected = files_showing(site, "Kebencanaan")
    records = search_records(site)
    categories = repo.root / "content" / "categories.yml"
    categories.write_text(
        categories.read_text(encoding="utf-8").replace(
            "label: Kebencanaan", "label: Penanggulangan Bencana"
        ),
        encoding="utf-8",
    )
    build_site(repo.root)
    after = tree_digest(site)
    assert len(expected) > 10
    outputs, index = split_index(changed(before, after))
    assert outputs == expected
    assert index == index_changes(records, search_records(site))
    assert f"{INDEX_DIR}/meta.json" in index  # the filter value's label


def test_changing_the_theme_palette_changes_every_page_and_nothing_else(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, site, before = built
    config = repo.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  language: id\n", "  language: id\n  palette:\n    primary: red\n"
        ),
        encoding="utf-8",
    )
    build_site(repo.root)
    after = tree_digest(site)
    pages = {path for path in before if path.endswith(".html")}
    assert changed(before, after) == pages
    assert 'data-md-color-primary="red"' in (site / "index.html").read_text(encoding="utf-8")


def test_search_index_is_reused_when_no_page_changed(
    tmp_path: Path, parallel: None, caplog: pytest.LogCaptureFixture
) -> None:
    """Only the feeds change (fewer items per feed): no page is read again for the search
    index, no index file changes, and the index equals one built from nothing."""
    repo = write_portal(tmp_path / "repo")
    repo.write_config(extra_plugin_options="page_size: 2\nsearch: true")
    site = build_site(repo.root)
    before = tree_digest(site)
    repo.write_config(extra_plugin_options="page_size: 2\nsearch: true\nfeed_items: 3")
    with caplog.at_level(logging.INFO):
        build_site(repo.root)
    after = tree_digest(site)
    assert any("0 dibaca ulang, 0 berkas diperbarui" in r.getMessage() for r in caplog.records)
    assert {path for path in changed(before, after) if not path.startswith("feeds/")} == set()
    shutil.rmtree(repo.root / CACHE)
    assert tree_digest(build_site(repo.root)) == after


# --- the release cache ---------------------------------------------------------------------------


def test_only_changed_release_files_are_parsed_again(
    built: tuple[PortalRepo, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _site, _before = built
    parsed: list[list[str] | None] = []
    real = pipeline.load_releases

    def recording(*args: Any, only_paths: Any = None, **kwargs: Any) -> Any:
        parsed.append(None if only_paths is None else list(only_paths))
        return real(*args, only_paths=only_paths, **kwargs)

    monkeypatch.setattr(pipeline, "load_releases", recording)
    source = repo.write_release(
        "pusat", "2024-09-09 09:00", "rilis-pusat-baru", title='"Rilis Pusat Baru"'
    )
    build_site(repo.root)
    assert parsed == [[source.relative_to(repo.root).as_posix()]]


def test_a_cached_release_whose_image_disappears_fails_validation(
    built: tuple[PortalRepo, Path, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    repo, site, before = built
    (repo.root / "content" / "kota-bandung" / "2024" / "foto-rapat.png").unlink()
    with pytest.raises(Abort), caplog.at_level(logging.ERROR):
        build_site(repo.root)
    errors = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "2024-05-18-rapat-koordinasi.md:7:8: IMG001" in errors
    assert tree_digest(site) == before


def test_validation_through_the_cache_reports_what_a_full_load_reports(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, _site, _before = built
    repo.write_release("kota-makassar", "2024-05-19 10:00", "rusak", category="tidak-ada")
    settings = repo.settings()
    cached_portal, cached = pipeline.validate(settings)
    full_portal, full = pipeline.validate(settings, use_cache=False)
    assert cached_portal is None and full_portal is None
    assert [d.format() for d in cached] == [d.format() for d in full]
    assert any("rusak" in d.path for d in cached)


def test_cached_releases_equal_freshly_parsed_ones(
    built: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, _site, _before = built
    settings = repo.settings()
    cached_portal, cached = pipeline.validate(settings)
    full_portal, full = pipeline.validate(settings, use_cache=False)
    assert cached_portal is not None and full_portal is not None
    assert cached_portal.releases == full_portal.releases
    assert cached == full


# --- workers and progress ------------------------------------------------------------------------


def test_run_tasks_returns_results_in_task_order_from_workers(parallel: None) -> None:
    results, warnings = run_tasks(300, lambda index: index * index, label="uji")
    assert results == [index * index for index in range(300)]
    assert warnings == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = _Terminal()
    progress = Progress("Merender halaman", 3, terminal)
    for _ in range(3):
        progress.advance(1)
    progress.close()
    assert "Merender halaman: 3/3" in terminal.getvalue()

    pipe = io.StringIO()  # not a terminal: quiet
    progress = Progress("Merender halaman", 3, pipe)
    progress.advance(3)
    progress.close()
    assert pipe.getvalue() == ""

    monkeypatch.setenv("CI", "true")
    terminal = _Terminal()
    progress = Progress("Merender halaman", 3, terminal)
    progress.advance(3)
    progress.close()
    assert terminal.getvalue() == ""


def test_background_writes_are_all_done_on_leaving_and_report_a_failure(tmp_path: Path) -> None:
    """Index files written on a thread: every one is in place once the block is left, with
    at most ``max_pending`` bytes waiting, and a failed write is raised there."""
    entries = [tmp_path / f"{n % 7:02d}" / f"entry-{n}" for n in range(200)]
    with BackgroundWrites(max_pending=1000) as writes:
        for number, entry in enumerate(entries):
            writes.submit(BuildCache.write_entry, entry, str(number).encode() * 50)
    assert [entry.read_bytes() for entry in entries] == [str(n).encode() * 50 for n in range(200)]
    assert not [p for p in tmp_path.rglob(".*")]  # no temporary file left behind

    def refuse(_entry: Path, _data: bytes) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"), BackgroundWrites() as writes:
        writes.submit(refuse, tmp_path / "full", b"x")
