"""The built pages are valid HTML for the Nu Html Checker (vnu), the W3C's own HTML validator.

A real ``mkdocs build`` of the rich fixture portal (every page kind and editorial state: a release
with an image and a correction, a hoax clarification, a withdrawn release, pagination) plus two
releases written the way offices write (an emoji and a 150-character title, a table, a very long
word, headings) is checked by ``vnu.jar`` from the npm package ``vnu-jar`` pinned in
``tools/package.json`` (installed by ``make test`` through ``npm ci --prefix tools``) with the
system's Java (11 or later). One vnu run checks every page of the list; each page is then a test.

Also here, and needing no Java: the theme's copy of Material's ``base.html`` must not drift from
Material's file, and the attributes vnu rejected before the theme fixed them must stay away.

Helpers for the other validator module (``test_accessibility.py``) live here: the fixture
portal and the list of pages both modules check.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import material
import pytest
from conftest import REPO, PortalRepo
from test_site_build import build_site, write_rich_portal

VNU_JAR = REPO / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEME_DIR = REPO / "generator" / "theme"
MATERIAL_BASE = Path(material.__file__).resolve().parent / "templates" / "base.html"

#: A release in the voice of an office: emoji in the title, a table with aligned columns, a word
#: longer than a phone is wide, a link inside a sentence, a quote and a list. ``#`` and ``##``
#: headings become ``h2`` and ``h3`` under the page's ``h1``.
OFFICE_RELEASE = "kota-makassar/2024/2024-05-21-layanan-kesehatan-gratis"
OFFICE_RELEASE_TITLE = "Layanan Kesehatan Gratis 🏥 di Seluruh Puskesmas Kota Makassar"
OFFICE_RELEASE_BODY = """\
Pemeriksaan kesehatan gratis dibuka untuk semua warga. Jadwal lengkap ada di
[portal resmi pemerintah](https://www.indonesia.go.id) dan di setiap `puskesmas`.

# Jadwal layanan

| Kegiatan | Waktu | Tempat pelayanan | Petugas | Biaya |
|:---------|:-----:|------------------|---------|------:|
| Pendaftaran | 08.00 WITA | Loket utama puskesmas | Petugas administrasi | Rp0 |
| Pemeriksaan darah dan konsultasi gizi | 09.00 WITA | Laboratorium | Dokter, ahli gizi | Rp0 |

## Persyaratan

1. Membawa KTP elektronik atau kartu keluarga.
2. Datang sesuai jadwal kelurahan.

> Layanan ini tidak dipungut biaya apa pun.

Kata terpanjang dalam pengumuman ini adalah
Pertanggungjawabannyalahyangdipertanyakanolehmasyarakatluasdiseluruhpenjurunegeri.
"""
#: The longest title the checker allows (150 characters).
LONG_TITLE_RELEASE = "kota-makassar/2024/2024-05-22-judul-panjang"
LONG_TITLE = (
    "Pemerintah Kota Makassar Mengumumkan Perubahan Jadwal Layanan Administrasi Kependudukan "
    "di Seluruh Kecamatan Selama Pekan Peringatan Hari Jadi Kota"
)
#: A body whose subheadings are written as ``## Subjudul``, as the contributor guide and the
#: checker's own message (markup.py, ``h1`` in a body) tell offices to write them.
GUIDE_STYLE_RELEASE = "kota-makassar/2024/2024-05-23-subjudul-panduan"
GUIDE_STYLE_BODY = (
    "Paragraf pembuka.\n\n## Latar belakang\n\nIsi.\n\n## Langkah berikutnya\n\nIsi.\n"
)

#: Every page kind of the portal, as paths of the built files. Both validator modules check them.
PAGES: tuple[str, ...] = (
    "index.html",
    "404.html",
    "wilayah/index.html",
    "jawa-barat/index.html",  # province with roll-up
    "jawa-barat/halaman/2/index.html",  # paginated
    "kota-bandung/index.html",  # city
    "kabupaten-bandung/index.html",  # regency
    "pusat/index.html",  # central institution
    "kota-bandung/2024/2024-05-18-rapat-koordinasi/index.html",  # image, tags, correction
    "kota-jayapura/2024/2024-06-01-hoaks-daun-x/index.html",  # hoax clarification, verdict box
    "kota-pontianak/2024/2024-02-01-jadwal-lama/index.html",  # withdrawn
    f"{OFFICE_RELEASE}/index.html",
    f"{LONG_TITLE_RELEASE}/index.html",
    "kategori/index.html",
    "kategori/pemerintahan/index.html",
    "jenis/klarifikasi-hoaks/index.html",
    "jenis/siaran-pers/index.html",
    "topik/kehumasan/index.html",
    "arsip/index.html",
    "arsip/2024/05/index.html",
    "kantor/index.html",
    "rss/index.html",
    "cari/index.html",
    "tentang/index.html",
    "panduan-kontributor/index.html",
)


def write_validator_portal(root: Path) -> PortalRepo:
    """The rich fixture portal plus the releases above."""
    repo = write_rich_portal(root)
    repo.write_release(
        "kota-makassar",
        "2024-05-21 10:00",
        "layanan-kesehatan-gratis",
        title=f'"{OFFICE_RELEASE_TITLE}"',
        category="kesehatan",
        tags="[kesehatan, puskesmas]",
        body=OFFICE_RELEASE_BODY,
    )
    repo.write_release(
        "kota-makassar",
        "2024-05-22 10:00",
        "judul-panjang",
        title=f'"{LONG_TITLE}"',
        category="kependudukan",
    )
    repo.write_release(
        "kota-makassar",
        "2024-05-23 10:00",
        "subjudul-panduan",
        title='"Subjudul Seperti Dalam Panduan"',
        body=GUIDE_STYLE_BODY,
    )
    return repo


def build_validator_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = write_validator_portal(tmp_path_factory.mktemp("validators") / "repo")
    site = build_site(repo.root)
    missing = [p for p in PAGES if not (site / p).is_file()]
    assert not missing, f"page kinds missing from the build: {missing}"
    return site


# --- the Nu Html Checker ---------------------------------------------------------------------


def vnu_unavailable() -> str | None:
    """Why vnu cannot run here, or None."""
    if shutil.which("java") is None:
        return "java not found: install a Java runtime (11 or later) to run the Nu Html Checker"
    if not VNU_JAR.is_file():
        return f"{VNU_JAR} missing: run `npm ci --prefix tools` (done by `make test`)"
    return None


needs_vnu = pytest.mark.skipif(vnu_unavailable() is not None, reason=vnu_unavailable() or "")


#: A vnu message as ``"line:column: message"`` (errors) or with a ``warning`` prefix.
Messages = dict[str, list[str]]


def run_vnu(files: list[Path], root: Path) -> tuple[Messages, Messages]:
    """Check ``files`` with vnu in one run; errors and warnings by path relative to ``root``."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu prints its JSON report on stderr; exit status 1 only means "messages were found".
    report = json.loads(result.stderr)
    errors: Messages = defaultdict(list)
    warnings: Messages = defaultdict(list)
    for message in report["messages"]:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        key = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        text = f"{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}: "
        text += message["message"]
        if message["type"] == "info":
            if message.get("subType") == "warning":
                warnings[key].append(text)
        else:  # "error" (with or without subType "fatal") and "non-document-error"
            errors[key].append(text)
    return errors, warnings


@pytest.fixture(scope="module")
def validator_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_validator_site(tmp_path_factory)


@pytest.fixture(scope="module")
def vnu_report(validator_site: Path) -> tuple[Messages, Messages]:
    reason = vnu_unavailable()
    if reason is not None:
        pytest.skip(reason)
    pages = [*PAGES, f"{GUIDE_STYLE_RELEASE}/index.html"]
    return run_vnu([validator_site / p for p in pages], validator_site)


@needs_vnu
@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_html_errors(vnu_report: tuple[Messages, Messages], page: str) -> None:
    errors, _warnings = vnu_report
    assert errors.get(page, []) == []


@needs_vnu
@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_html_warnings(vnu_report: tuple[Messages, Messages], page: str) -> None:
    _errors, warnings = vnu_report
    assert warnings.get(page, []) == []


@needs_vnu
def test_guide_style_subheadings_do_not_skip_a_level(
    vnu_report: tuple[Messages, Messages],
) -> None:
    errors, _warnings = vnu_report
    assert errors.get(f"{GUIDE_STYLE_RELEASE}/index.html", []) == []


@needs_vnu
def test_vnu_rejects_what_the_theme_fixed(tmp_path: Path) -> None:
    """The checker itself flags the markup Material prints and the theme removed, so a
    regression in the theme fails the page tests above."""
    bad = tmp_path / "material.html"
    bad.write_text(
        '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Uji</title></head>'
        '<body><input type="checkbox" id="__drawer" autocomplete="off">'
        '<label for="__drawer" tabindex="">Menu</label>'
        "<h1>Judul</h1><h3>Subjudul</h3></body></html>",
        encoding="utf-8",
    )
    errors, _warnings = run_vnu([bad], tmp_path)
    found = "\n".join(errors["material.html"])
    assert "autocomplete" in found
    assert "tabindex" in found
    assert "skipping 1 heading level" in found


# --- without Java ------------------------------------------------------------------------------


def test_theme_base_is_materials_base_with_one_documented_change() -> None:
    """generator/theme/base.html is a copy of Material's (pinned) base.html: only its leading
    comment, the two ``autocomplete`` attributes and the skip link for pages without a table of
    contents differ, so upgrading Material means re-copying it (this test fails until then)."""
    ours = (THEME_DIR / "base.html").read_text(encoding="utf-8")
    assert ours.startswith("{#-")
    ours_without_note = ours[ours.index("-#}\n") + len("-#}\n") :]
    materials = MATERIAL_BASE.read_text(encoding="utf-8")
    assert materials.count(' autocomplete="off">') == 2
    skip_end = '          {{ lang.t("action.skip") }}\n        </a>\n      {% endif %}'
    content = '<div class="md-content" data-md-component="content">'
    assert materials.count(skip_end) == 1 and materials.count(content) == 1
    expected = (
        materials.replace(' autocomplete="off">', ">")
        .replace(
            skip_end,
            skip_end.removesuffix("{% endif %}")
            + '{% else %}\n        <a href="#konten" class="md-skip">\n'
            + '          {{ lang.t("action.skip") }}\n        </a>\n      {% endif %}',
        )
        .replace(content, content.removesuffix(">") + ' id="konten">')
    )
    assert ours_without_note == expected


MATERIAL_BUNDLE_DIR = MATERIAL_BASE.parent / "assets" / "javascripts"
#: The one call the theme's copy of Material's bundle leaves out (see the note at its top).
LANGUAGE_VERSIONS_CALL = "ui({document$:ct});"


def test_theme_bundle_is_materials_without_the_language_versions_probe() -> None:
    """generator/theme/assets/javascripts/ holds Material's bundle under Material's own name
    (so it replaces it in the build) minus the handler that fetched sitemap.xml beside every
    feed link; the name must still be the one base.html loads."""
    ours = sorted((THEME_DIR / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert [p.name for p in ours] == [p.name for p in MATERIAL_BUNDLE_DIR.glob("bundle.*.min.js")]
    assert f"assets/javascripts/{ours[0].name}" in MATERIAL_BASE.read_text(encoding="utf-8")
    text = ours[0].read_text(encoding="utf-8")
    assert text.startswith("/* ")
    code = text[text.index("*/") + 2 :]
    materials = (MATERIAL_BUNDLE_DIR / ours[0].name).read_text(encoding="utf-8")
    assert materials.count(LANGUAGE_VERSIONS_CALL) == 1
    assert code == materials.replace(LANGUAGE_VERSIONS_CALL, "", 1)


@pytest.mark.parametrize("page", PAGES)
def test_no_attribute_vnu_rejected_before(validator_site: Path, page: str) -> None:
    doc = lxml.html.fromstring((validator_site / page).read_bytes())
    assert doc.xpath("//input[@type='checkbox'][@autocomplete]") == []
    assert doc.xpath("//*[@tabindex][normalize-space(@tabindex)='']") == []
    # Generated pages sit in a <div> content box: no <article> around another <article>.
    assert doc.xpath("//article//article") == []


@needs_vnu
def test_portal_stylesheet_is_valid_css() -> None:
    stylesheet = THEME_DIR / "assets" / "stylesheets" / "portal.css"
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--css", "--format", "json", str(stylesheet)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    assert [m["message"] for m in messages if m["type"] != "info"] == []
