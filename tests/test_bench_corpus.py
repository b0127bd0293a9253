"""The benchmark's corpus generator: deterministic, complete, valid; and the harness' probes."""

from __future__ import annotations

import re
import struct
import sys
import zlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from generator.config import Settings
from generator.pipeline import validate

REPO = Path(__file__).resolve().parent.parent
# ``bench`` is a top-level folder of the repository, not part of the installed package.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import corpus  # noqa: E402
from bench.run import find_hugo, measure, median_size, tree_size  # noqa: E402

RELEASE_PATH = re.compile(
    r"^content/(?P<region>[a-z0-9-]+)/(?P<year>\d{4})/(?P<day>\d{4}-\d{2}-\d{2})-"
    r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$"
)
REGION_COUNT = len(list((REPO / "regions").glob("*.yml")))


def files_of(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, _, _ = text[4:].partition("\n---\n")
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> corpus.CorpusInfo:
    """More releases than regions, so every region publishes at least once."""
    return corpus.generate(tmp_path_factory.mktemp("big") / "portal", REGION_COUNT + 200, seed=7)


def test_two_runs_are_byte_identical_and_the_seed_matters(tmp_path: Path) -> None:
    first = corpus.generate(tmp_path / "a", 150, seed=3)
    second = corpus.generate(tmp_path / "b", 150, seed=3)
    other = corpus.generate(tmp_path / "c", 150, seed=4)
    assert first.paths == second.paths
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert files_of(tmp_path / "a") != files_of(tmp_path / "c")
    assert other.paths != first.paths


def test_writes_the_requested_count_over_every_region(big: corpus.CorpusInfo) -> None:
    releases = sorted(
        p.relative_to(big.root).as_posix() for p in (big.root / "content").rglob("*.md")
    )
    assert big.releases == len(releases) == REGION_COUNT + 200
    assert sorted(big.paths) == releases
    assert len(set(big.paths)) == len(big.paths)
    assert big.regions == REGION_COUNT
    assert big.regions_used == REGION_COUNT
    assert set(big.kinds) == {"nasional", "lembaga", "provinsi", "kabupaten", "kota"}
    assert set(big.zones) == {"WIB", "WITA", "WIT"}
    assert set(big.types) == {"siaran-pers", "berita", "pengumuman", "agenda", "klarifikasi-hoaks"}
    assert big.images > 0 and big.corrections > 0 and big.hoaxes > 0
    # The registry, categories and config are the repository's own.
    assert (big.root / "regions" / "pusat.yml").read_bytes() == (
        REPO / "regions" / "pusat.yml"
    ).read_bytes()
    assert (big.root / "content" / "categories.yml").is_file()
    assert "search: true" in (big.root / "mkdocs.yml").read_text(encoding="utf-8")


def test_big_cities_and_provinces_publish_more_than_regencies(tmp_path: Path) -> None:
    info = corpus.generate(tmp_path / "p", 3000, seed=1)
    per_region = Counter(path.split("/")[1] for path in info.paths)
    regions = {r.id: r for r in corpus.load_regions()}
    kabupaten = [n for r, n in per_region.items() if regions[r].kind == "kabupaten"]
    provinces = [n for r, n in per_region.items() if regions[r].kind == "provinsi"]
    assert sum(provinces) / len(provinces) > 2 * sum(kabupaten) / len(kabupaten)
    assert per_region["kota-surabaya"] > sum(kabupaten) / len(kabupaten)


def test_every_release_follows_the_release_format(big: corpus.CorpusInfo) -> None:
    categories = set(yaml.safe_load((REPO / "content" / "categories.yml").read_text()))
    words = []
    for rel in big.paths:
        match = RELEASE_PATH.match(rel)
        assert match, rel
        assert len(match["slug"]) <= 80
        path = big.root / rel
        raw = path.read_text(encoding="utf-8")
        # Strings are quoted, so YAML 1.1 never reinterprets them.
        assert re.search(r'^title: ".+"$', raw, re.M)
        assert re.search(r'^summary: ".+"$', raw, re.M)
        data = front_matter(path)
        assert set(data) <= {
            "title",
            "date",
            "summary",
            "category",
            "type",
            "tags",
            "author",
            "contact",
            "image",
            "image_alt",
            "updates",
            "withdrawn",
            "claim",
        }
        assert str(data["date"]).startswith(match["day"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", str(data["date"]))
        assert "2021-01-01" <= match["day"] <= "2026-10-31"
        assert 1 <= len(str(data["title"])) <= 150
        assert 50 <= len(str(data["summary"])) <= 300
        assert data["category"] in categories
        assert len(data.get("tags") or []) <= 10
        if data.get("type") == "klarifikasi-hoaks":
            claim = data["claim"]
            assert isinstance(claim, dict)
            assert claim["verdict"] in {"hoaks", "disinformasi", "misinformasi", "satire"}
            assert claim["text"] and claim["source_urls"]
        else:
            assert "claim" not in data
        for update in data.get("updates") or []:  # type: ignore[attr-defined]
            assert str(update["date"]) > str(data["date"])
            assert update["note"]
        if "image" in data:
            assert data["image_alt"]
            check_png(path.parent / str(data["image"]))
        body = raw.split("\n---\n", 1)[1]
        assert "\n## " in body and re.search(r"^(- |1\. )", body, re.M)
        words.append(len(body.split()))
        assert "lorem" not in body.lower()
    assert min(words) >= 300 and max(words) <= 760
    assert 400 <= sum(words) / len(words) <= 600


def check_png(path: Path) -> None:
    data = path.read_bytes()
    assert len(data) <= 2048
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, {}
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks[kind] = body
        offset += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)
    assert b"IEND" in chunks


def test_the_corpus_passes_the_portals_validation(tmp_path: Path) -> None:
    info = corpus.generate(tmp_path / "v", 60, seed=11)
    corpus.add_release(info.root, seed=11)
    settings = Settings(
        root=info.root,
        site_name="Uji",
        site_url="https://portal.test/",
        build_time=datetime.fromtimestamp(corpus.BUILD_EPOCH, tz=UTC),
        search=False,
    )
    portal, problems = validate(settings)
    assert problems == []
    assert portal is not None
    assert len(portal.releases) == 61


def test_the_edge_cases_pass_validation_too(big: corpus.CorpusInfo) -> None:
    """Images, corrections, hoaxes and withdrawals of the larger corpus all validate."""
    settings = Settings(
        root=big.root,
        site_name="Uji",
        site_url="https://portal.test/",
        build_time=datetime.fromtimestamp(corpus.BUILD_EPOCH, tz=UTC),
        search=False,
    )
    portal, problems = validate(settings)
    assert problems == []
    assert portal is not None
    assert len(portal.releases) == big.releases
    assert sum(r.image is not None for r in portal.releases) == big.images
    assert sum(bool(r.updates) for r in portal.releases) == big.corrections
    assert sum(r.claim is not None for r in portal.releases) == big.hoaxes
    zones = {r.date.utcoffset() for r in portal.releases}
    assert len(zones) == 3


def test_edit_and_add_change_the_tree(tmp_path: Path) -> None:
    info = corpus.generate(tmp_path / "e", 20)
    before = files_of(info.root)
    corpus.edit_release(info.root, info.paths[3])
    added = corpus.add_release(info.root)
    after = files_of(info.root)
    assert added not in before and added in after
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {info.paths[3]}


def test_hugo_site_builds_the_same_release_urls(tmp_path: Path) -> None:
    hugo = find_hugo()
    if hugo is None:
        pytest.skip("hugo (the 'bench' extra) is not installed")
    info = corpus.generate(tmp_path / "portal", 40, seed=5)
    site = corpus.write_hugo_site(tmp_path / "hugo", 40, seed=5)
    result = measure(
        [str(hugo), "--quiet", "--source", str(site), "--destination", str(site / "public")],
        site,
        {"PATH": "/usr/bin:/bin", "HUGO_CACHEDIR": str(tmp_path / "cache")},
        tmp_path / "hugo.log",
    )
    assert result.ok, (tmp_path / "hugo.log").read_text()
    public = site / "public"
    for url in info.urls:
        assert (public / corpus.hugo_release_page(url)).is_file(), url
    region = info.paths[0].split("/")[1]
    assert (public / region / "index.xml").is_file()  # per-region RSS
    assert (public / "categories" / "index.html").is_file()
    assert (public / "jenis" / "index.xml").is_file()
    size, _ = median_size([public / corpus.hugo_release_page(url) for url in info.urls])
    assert size is not None and size > 1000


def test_material_corpus_is_limited(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        corpus.write_material_blog_site(tmp_path / "m", corpus.MATERIAL_MAX_RELEASES + 1)
    assert not (tmp_path / "m").exists()
    site = corpus.write_material_blog_site(tmp_path / "m", 12, seed=2)
    posts = sorted((site / "docs" / "blog" / "posts").glob("*.md"))
    assert len(posts) == 12
    assert "<!-- more -->" in posts[0].read_text(encoding="utf-8")


def test_measure_reports_cpu_memory_and_failure(tmp_path: Path) -> None:
    busy = "x = bytearray(64 * 2**20); sum(range(3_000_000))"
    result = measure([sys.executable, "-c", busy], tmp_path, {}, tmp_path / "a.log")
    assert result.ok and result.cpu_s > 0 and result.wall_s >= result.cpu_s * 0.5
    assert result.peak_rss_bytes >= 64 * 2**20
    failed = measure(
        [sys.executable, "-c", "raise SystemExit(3)"], tmp_path, {}, tmp_path / "b.log"
    )
    assert not failed.ok and failed.exit_status == 3
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f").write_bytes(b"12345")
    assert tree_size(tmp_path / "d") == (5, 1)


def test_portal_config_sets_search_in_the_plugin_block_only(tmp_path: Path) -> None:
    source = tmp_path / "mkdocs.yml"
    source.write_text(
        "site_name: X\nplugins:\n  - portal:\n      page_size: 20\n\n"
        "      search: true\n  - other\nextra:\n  search: keep\n",
        encoding="utf-8",
    )
    text = corpus.portal_config(False, source)
    assert yaml.safe_load(text)["plugins"][0] == {"portal": {"page_size": 20, "search": False}}
    assert yaml.safe_load(text)["extra"] == {"search": "keep"}
    source.write_text("site_name: X\nplugins:\n  - portal:\n      page_size: 20\n", "utf-8")
    assert yaml.safe_load(corpus.portal_config(True, source))["plugins"][0]["portal"] == {
        "page_size": 20,
        "search": True,
    }
    source.write_text("site_name: X\n", "utf-8")
    with pytest.raises(ValueError):
        corpus.portal_config(True, source)
