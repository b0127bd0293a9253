"""Real ``mkdocs build``s of small portals: atomic output, reproducibility, weight, scale.

Also holds the helpers the other ``test_site_*`` modules share (a rich fixture portal and a
build function), because helpers live in the modules their owner writes.
"""

from __future__ import annotations

import filecmp
import hashlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from conftest import REPO, PortalRepo
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from generator.writer import AtomicBuild, OutputError, SiteWriter

MKDOCS = [sys.executable, "-m", "mkdocs"]
LOGO = REPO / "generator" / "theme" / "assets" / "logo.png"


# --- shared helpers ----------------------------------------------------------------------------


def build_site(root: Path, site_dir: Path | None = None, **plugin_overrides: Any) -> Path:
    """Build ``root/mkdocs.yml`` in-process (strict) into ``site_dir`` (default ``root/site``)."""
    site = site_dir or root / "site"
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site), strict=True)
    plugin = config.plugins["portal"]
    for key, value in plugin_overrides.items():
        plugin.config[key] = value
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    build(config)
    return site


def parse(path: Path) -> Any:
    return lxml.html.fromstring(path.read_bytes())


def page(site: Path, url: str) -> Any:
    return parse(site / url / "index.html")


def listed_release_links(doc: Any) -> list[str]:
    """``href``s of the release entries in a page's listings (not navigation)."""
    return [
        a.get("href")
        for a in doc.xpath('//li[@class="portal-item"]/a[@class="portal-item__title"]')
    ]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


HOAX_CLAIM = (
    '{text: "Air rebusan daun X menyembuhkan semua penyakit", verdict: hoaks, '
    'first_seen: 2024-05-30, source_urls: ["https://medsos.example/kabar/123"]}'
)


def write_rich_portal(root: Path) -> PortalRepo:
    """A fixture portal with every page kind and editorial state, ``page_size: 2``."""
    repo = PortalRepo(root)
    repo.write_config(extra_plugin_options="page_size: 2")
    (root / "docs" / "panduan-kontributor.md").write_text(
        "# Panduan Kontributor\n\nCara menulis rilis.\n", encoding="utf-8"
    )
    image_dir = root / "content" / "kota-bandung" / "2024"
    image_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(LOGO, image_dir / "foto-rapat.png")
    repo.write_release(
        "kota-bandung",
        "2024-05-18 16:30",
        "rapat-koordinasi",
        tags="[kehumasan, rapat]",
        author='"Tim Humas Bandung"',
        contact='"humas@bandung.go.id"',
        image="foto-rapat.png",
        image_alt='"Peserta rapat koordinasi di Balai Kota"',
        updates='[{date: "2024-05-19 08:00", note: "Jam acara diralat menjadi 16.30."}]',
    )
    for day, slug in (
        ("2024-05-10 09:00", "posyandu-keliling"),
        ("2024-05-20 09:00", "pasar-murah"),
        ("2024-05-25 09:00", "kerja-bakti"),
        ("2024-06-02 09:00", "festival-kota"),
    ):
        repo.write_release("kota-bandung", day, slug, tags="[kehumasan]")
    repo.write_release("kota-makassar", "2024-05-19 10:00", "banjir-rob", category="kebencanaan")
    repo.write_release(
        "kota-jayapura",
        "2024-06-01 08:00",
        "hoaks-daun-x",
        type="klarifikasi-hoaks",
        category="kesehatan",
        claim=HOAX_CLAIM,
    )
    repo.write_release("jawa-barat", "2024-04-01 10:00", "rapat-gubernur")
    repo.write_release("kabupaten-bandung", "2024-03-01 10:00", "panen-raya")
    repo.write_release(
        "kota-bandung",
        "2024-07-01 10:00",
        "rahasia-embargo",
        title='"Pengumuman Embargo Rahasia"',
        publish_at='"2027-01-01 00:00"',
    )
    repo.write_release(
        "kota-bandung",
        "2024-07-02 10:00",
        "draf-belum-siap",
        title='"Draf Belum Siap"',
        draft="true",
    )
    repo.write_release(
        "kota-pontianak",
        "2024-02-01 10:00",
        "jadwal-lama",
        title='"Jadwal Lama Yang Ditarik"',
        # A tag only this withdrawn release carries: it has no tag page, so it must not link.
        tags="[jadwal-ditarik, kehumasan]",
        withdrawn='{date: "2024-02-03 09:00", reason: "Jadwal dibatalkan."}',
    )
    repo.write_release("kota-pontianak", "2024-02-05 10:00", "jadwal-baru")
    return repo


def build_rich_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the rich fixture portal once per test module (each module asks for its own)."""
    repo = write_rich_portal(tmp_path_factory.mktemp("rich") / "repo")
    return build_site(repo.root)


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich_site(tmp_path_factory)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".site.tmp", ".site.old")))


# --- atomic output -----------------------------------------------------------------------------


@pytest.fixture
def built_repo(tmp_path: Path) -> Iterator[tuple[PortalRepo, Path, dict[str, str]]]:
    repo = PortalRepo(tmp_path / "repo")
    repo.write_release()
    site = build_site(repo.root)
    yield repo, site, tree_digest(site)


def test_build_writes_into_site_and_leaves_no_temporary_folder(
    built_repo: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, _site, digest = built_repo
    assert "index.html" in digest
    assert "kota-bandung/2024/2024-05-18-rapat-koordinasi/index.html" in digest
    assert leftovers(repo.root) == []


def test_validation_error_aborts_before_anything_is_written(
    built_repo: tuple[PortalRepo, Path, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    repo, site, digest = built_repo
    repo.write_release("kota-makassar", "2024-05-19 10:00", "rusak", category="tidak-ada")
    with pytest.raises(Abort), caplog.at_level(logging.ERROR, logger="mkdocs"):
        build_site(repo.root)
    assert tree_digest(site) == digest
    assert leftovers(repo.root) == []
    errors = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    # Same `path:line:col: CODE message` lines as `portal check`, no traceback.
    assert "content/kota-makassar/2024/2024-05-19-rusak.md:" in errors
    assert "CAT" in errors or "REL" in errors
    assert "Traceback" not in errors


def test_failure_in_post_build_leaves_previous_site_identical(
    built_repo: tuple[PortalRepo, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, site, digest = built_repo
    repo.write_release("kota-makassar", "2024-05-19 10:00", "baru", category="kebencanaan")

    def explode(*_args: object, **_kwargs: object) -> dict[str, bytes]:
        raise RuntimeError("umpan gagal dibuat")

    monkeypatch.setattr("generator.feeds.build_feeds", explode)
    with pytest.raises(RuntimeError, match="umpan gagal"):
        build_site(repo.root)
    assert tree_digest(site) == digest
    assert leftovers(repo.root) == []


def test_strict_warning_leaves_previous_site_identical(
    built_repo: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, site, digest = built_repo
    # A broken link in a docs page is a warning; strict mode aborts after on_post_build.
    (repo.root / "docs" / "tentang.md").write_text(
        "# Tentang\n\n[rusak](tidak-ada.md)\n", encoding="utf-8"
    )
    with pytest.raises(Abort, match="strict"):
        build_site(repo.root)
    assert tree_digest(site) == digest
    assert leftovers(repo.root) == []


def test_successful_rebuild_replaces_site_and_removes_stale_files(
    built_repo: tuple[PortalRepo, Path, dict[str, str]],
) -> None:
    repo, site, _digest = built_repo
    (site / "basi.html").write_text("sisa build lama", encoding="utf-8")
    repo.write_release("kota-makassar", "2024-05-19 10:00", "baru", category="kebencanaan")
    build_site(repo.root)
    assert not (site / "basi.html").exists()
    assert (site / "kota-makassar/2024/2024-05-19-baru/index.html").is_file()
    assert leftovers(repo.root) == []


def test_atomic_build_removes_leftovers_of_dead_builds(tmp_path: Path) -> None:
    dead = tmp_path / ".site.tmp-999999999"
    dead.mkdir()
    (dead / "x").write_text("x", encoding="utf-8")
    atomic = AtomicBuild.begin(tmp_path / "site")
    assert not dead.exists()
    assert atomic.temp_dir.parent == tmp_path
    assert atomic.temp_dir.name == f".site.tmp-{os.getpid()}"


def test_site_writer_refuses_outside_paths_links_and_double_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    writer = SiteWriter(out)
    writer.write("feeds/a.xml", b"a")
    assert (out / "feeds" / "a.xml").read_bytes() == b"a"
    for bad in ("../luar.txt", "/etc/passwd", "feeds/../../luar", "a\\b", "", "feeds//x"):
        with pytest.raises(OutputError):
            writer.write(bad, b"x")
    with pytest.raises(OutputError):
        writer.write("feeds/a.xml", b"lagi")
    (out / "index.html").write_text("halaman", encoding="utf-8")
    with pytest.raises(OutputError):
        writer.write("index.html", b"timpa")
    (tmp_path / "target").mkdir()
    (out / "link").symlink_to(tmp_path / "target")
    with pytest.raises(OutputError):
        writer.write("link/x.xml", b"x")
    assert not (tmp_path / "luar.txt").exists()
    assert not list((tmp_path / "target").iterdir())


def test_build_is_refused_when_an_injected_page_error_occurs(
    built_repo: tuple[PortalRepo, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash while rendering pages (midway through writing) also leaves site/ untouched."""
    repo, site, digest = built_repo
    # A new release: its page is not in the build cache, so it must be rendered.
    repo.write_release("kota-makassar", "2024-05-19 10:00", "baru", category="kebencanaan")

    def explode(*_args: object, **_kwargs: object) -> object:
        raise PluginError("halaman gagal")

    monkeypatch.setattr("generator.pages.render_release", explode)
    with pytest.raises(Abort):
        build_site(repo.root)
    assert tree_digest(site) == digest
    assert leftovers(repo.root) == []


# --- reproducibility ---------------------------------------------------------------------------


def _cli_build(root: Path, site: Path, env: dict[str, str]) -> None:
    completed = subprocess.run(
        [*MKDOCS, "build", "--strict", "--quiet", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_two_builds_are_byte_identical_whatever_tz_hashseed_locale_or_mtimes(
    tmp_path: Path,
) -> None:
    repo = write_rich_portal(tmp_path / "repo")
    base_env = {k: v for k, v in os.environ.items() if k not in ("TZ", "PYTHONHASHSEED")}
    first, second = tmp_path / "site1", tmp_path / "site2"
    _cli_build(repo.root, first, {**base_env, "TZ": "UTC", "PYTHONHASHSEED": "1", "LC_ALL": "C"})
    for path in (repo.root / "content").rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    _cli_build(
        repo.root,
        second,
        {**base_env, "TZ": "Asia/Tokyo", "PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8"},
    )
    one, two = tree_digest(first), tree_digest(second)
    assert one.keys() == two.keys()
    differing = sorted(k for k in one if one[k] != two[k])
    assert differing == []
    assert not (first / "sitemap.xml.gz").exists()


# --- weight and scale ----------------------------------------------------------------------------


def test_release_page_is_under_40_kb(rich_site: Path) -> None:
    for html in rich_site.glob("*/2024/*/index.html"):
        assert html.stat().st_size < 40 * 1024, html


def _nav_links(site: Path, url: str) -> int:
    doc = page(site, url)
    return len(doc.xpath('//nav[contains(@class, "md-nav") or contains(@class, "md-tabs")]//a'))


def test_navigation_and_release_page_do_not_grow_with_the_number_of_regions(
    tmp_path: Path,
) -> None:
    all_regions = sorted(p.stem for p in (REPO / "regions").glob("*.yml"))
    small = PortalRepo(tmp_path / "small")
    large = PortalRepo(tmp_path / "large", regions=all_regions)
    for repo in (small, large):
        repo.write_release()
    small_site, large_site = build_site(small.root), build_site(large.root)
    release = "kota-bandung/2024/2024-05-18-rapat-koordinasi"
    assert _nav_links(small_site, release) == _nav_links(large_site, release)
    small_size = (small_site / release / "index.html").stat().st_size
    large_size = (large_site / release / "index.html").stat().st_size
    assert abs(small_size - large_size) < 200
    # The region list itself lives on /wilayah/ only.
    assert len(page(large_site, "wilayah").xpath('//a[@href="../kota-jayapura/"]')) == 1
    assert len(list(large_site.glob("*/index.html"))) > 550


def test_release_html_comes_from_the_pipeline_not_from_mkdocs_markdown(rich_site: Path) -> None:
    doc = page(rich_site, "kota-bandung/2024/2024-05-18-rapat-koordinasi")
    body = doc.xpath('//div[@class="portal-body"]')[0]
    assert body.xpath(".//strong")[0].text == "penekanan"
    # One h1 only (MkDocs/Material did not add their own title heading).
    assert len(doc.xpath("//h1")) == 1


# --- the real repository -----------------------------------------------------------------------


def test_real_repository_builds_strict(tmp_path: Path) -> None:
    """`make build`: the sample content of this repository builds in strict mode."""
    site = build_site(REPO, tmp_path / "site", search=False)
    assert (site / "index.html").is_file()
    assert (site / "wilayah" / "index.html").is_file()
    assert (site / "feeds" / "nasional.xml").is_file()
    assert not list(tmp_path.glob(".site.tmp-*"))
    assert filecmp.cmp(site / "assets" / "logo.png", LOGO, shallow=False)


# --- mkdocs serve ------------------------------------------------------------------------------


class _FakeServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_builds_in_place_and_watches_content_and_regions(portal_repo: PortalRepo) -> None:
    portal_repo.write_release()
    site = portal_repo.root / "serve-site"
    config = load_config(config_file=str(portal_repo.root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
        server = _FakeServer()
        config.plugins.on_serve(server, config=config, builder=lambda: None)
    finally:
        config.plugins.on_shutdown()  # as `mkdocs serve` does when it stops
    # `mkdocs serve` owns its temporary folder: the plugin neither redirects nor swaps it.
    assert (site / "kota-bandung" / "2024" / "2024-05-18-rapat-koordinasi" / "index.html").is_file()
    assert not list(portal_repo.root.glob(".serve-site.*"))
    assert server.watched == [
        str(portal_repo.root / "content"),
        str(portal_repo.root / "regions"),
    ]
    # Nothing was ever written into the sources.
    assert sorted(p.name for p in (portal_repo.root / "docs").iterdir()) == ["tentang.md"]
