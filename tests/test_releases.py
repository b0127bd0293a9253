"""The release format: every rule of issue 2 yields its code at the right file, line and column.

Each test writes a small real repository (``PortalRepo``) and runs the same loading code the
build and ``portal check`` run; diagnostics are compared as (code, line, col) per file.
"""

from __future__ import annotations

import struct
import zlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import PortalRepo, front_matter

from generator.check import run_check
from generator.diagnostics import Diagnostic, Severity
from generator.model import ReleaseType, Verdict
from generator.pipeline import validate
from generator.regions import load_regions
from generator.releases import load_releases
from generator.taxonomy import load_categories

REL = "content/kota-bandung/2024/2024-05-18-rapat-koordinasi.md"
SUMMARY = '"Pemerintah menggelar rapat koordinasi kehumasan untuk menyatukan informasi publik."'


def check(repo: PortalRepo, **overrides: object) -> list[Diagnostic]:
    return run_check(repo.settings(**overrides), [], changed_from=None)


def found(diagnostics: list[Diagnostic], path: str = REL) -> set[tuple[str, int, int]]:
    return {(d.code, d.line, d.col) for d in diagnostics if d.path == path}


def codes(diagnostics: list[Diagnostic], path: str = REL) -> set[str]:
    return {d.code for d in diagnostics if d.path == path}


def message(diagnostics: list[Diagnostic], code: str) -> str:
    return next(d.message for d in diagnostics if d.code == code)


def load(repo: PortalRepo) -> tuple[list, list[Diagnostic]]:  # type: ignore[type-arg]
    settings = repo.settings()
    registry, _ = load_regions(settings.root)
    categories, _ = load_categories(settings)
    return load_releases(settings, registry, categories)


def write_raw(repo: PortalRepo, text: str | bytes, rel: str = REL) -> Path:
    path = repo.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def png_bytes(width: int = 2, height: int = 2, padding: int = 0) -> bytes:
    """A real, decodable PNG (optionally padded with a private chunk to reach a size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    extra = chunk(b"ptLd", b"\x00" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + extra
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- a valid release -------------------------------------------------------------------------


def test_valid_release_becomes_the_model(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(tags="[kehumasan, rapat]", author='"Humas Kota Bandung"')
    releases, problems = load(portal_repo)
    assert problems == []
    (release,) = releases
    assert release.id == "kota-bandung/2024-05-18-rapat-koordinasi"
    assert release.url == "kota-bandung/2024/2024-05-18-rapat-koordinasi/"
    assert release.source_path == REL
    assert release.date == datetime(2024, 5, 18, 16, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert release.date.tzinfo == ZoneInfo("Asia/Jakarta")
    assert release.type is ReleaseType.SIARAN_PERS
    assert release.tags == ("kehumasan", "rapat")
    assert release.author == "Humas Kota Bandung"
    assert release.body_markdown.strip() == "Isi rilis dengan **penekanan**."
    assert len(release.digest) == 64
    assert release.draft is False and release.publish_at is None


def test_yaml_11_implicit_types_stay_text(portal_repo: PortalRepo) -> None:
    # In YAML 1.1 these would be an octal number, a sexagesimal number and a float.
    portal_repo.write_release(title="012345", contact="12:30", author="1.10")
    releases, problems = load(portal_repo)
    assert problems == []
    assert (releases[0].title, releases[0].contact, releases[0].author) == (
        "012345",
        "12:30",
        "1.10",
    )


def test_offset_date_is_converted_into_the_regions_zone(portal_repo: PortalRepo) -> None:
    rel = "content/kota-jayapura/2024/2024-05-18-rapat-koordinasi.md"
    portal_repo.write_release("kota-jayapura", "2024-05-18 09:30")
    path = portal_repo.root / rel
    path.write_text(
        path.read_text(encoding="utf-8").replace('"2024-05-18 09:30"', "2024-05-18T00:30:00Z"),
        encoding="utf-8",
    )
    releases, problems = load(portal_repo)
    assert problems == []
    assert releases[0].date.isoformat() == "2024-05-18T09:30:00+09:00"
    assert str(releases[0].date.tzinfo) == "Asia/Jayapura"


def test_date_must_match_the_file_name_in_local_time(portal_repo: PortalRepo) -> None:
    # 23:30 WIB on the 18th is already the 19th in Jayapura (WIT).
    portal_repo.write_release("kota-jayapura", "2024-05-18 10:00")
    rel = "content/kota-jayapura/2024/2024-05-18-rapat-koordinasi.md"
    path = portal_repo.root / rel
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '"2024-05-18 10:00"', '"2024-05-18T23:30:00+07:00"'
        ),
        encoding="utf-8",
    )
    problems = check(portal_repo)
    # The foreign offset is also worth a warning (REL036) at the offset itself.
    assert found(problems, rel) == {("REL013", 3, 8), ("REL036", 3, 27)}
    assert "2024-05-19" in message(problems, "REL013")


@pytest.mark.parametrize(
    ("value", "col"),
    [
        ('"2024-02-30 10:00"', 16),  # the day
        ('"2024-13-01 10:00"', 13),  # the month
        ('"2024-05-18 24:00"', 19),  # the hour
        ('"2024-05-18"', 8),
        ('"18/05/2024 10:00"', 8),
        ('"2024-05-18T10:00:00"', 8),  # no offset
        ('"0024-05-18 10:00"', 8),  # a typo for 2024
        ("[2024, 5]", 1),  # not text
    ],
)
def test_impossible_or_malformed_dates(portal_repo: PortalRepo, value: str, col: int) -> None:
    portal_repo.write_release(date="2024-05-18 16:30")
    path = portal_repo.root / REL
    path.write_text(
        path.read_text(encoding="utf-8").replace('"2024-05-18 16:30"', value), encoding="utf-8"
    )
    assert found(check(portal_repo)) == {("REL012", 3, col)}


# --- front matter structure ------------------------------------------------------------------


def test_missing_front_matter(portal_repo: PortalRepo) -> None:
    write_raw(portal_repo, "# Judul\n\nIsi.\n")
    assert found(check(portal_repo)) == {("REL001", 1, 1)}


def test_blank_line_before_front_matter_is_named(portal_repo: PortalRepo) -> None:
    write_raw(portal_repo, "\n---\ntitle: x\n---\n")
    problems = check(portal_repo)
    assert found(problems) == {("REL001", 1, 1)}
    assert "baris kosong" in message(problems, "REL001")


def test_unclosed_front_matter(portal_repo: PortalRepo) -> None:
    write_raw(portal_repo, "---\ntitle: x\ndate: 2024-05-18 10:00\n\nIsi.\n")
    assert found(check(portal_repo)) == {("REL002", 1, 1)}


def test_empty_front_matter(portal_repo: PortalRepo) -> None:
    write_raw(portal_repo, "---\n---\nIsi.\n")
    assert found(check(portal_repo)) == {("REL003", 1, 1)}


def test_front_matter_that_is_not_a_mapping(portal_repo: PortalRepo) -> None:
    write_raw(portal_repo, "---\n- title\n---\n")
    assert found(check(portal_repo)) == {("REL003", 2, 1)}


def test_unknown_key_suggests_the_right_one(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(tittle='"Typo"')
    problems = check(portal_repo)
    assert found(problems) == {("REL004", 6, 1)}
    assert "maksud Anda 'title'?" in message(problems, "REL004")


def test_missing_required_keys_are_all_reported(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(raw_front_matter="title: Judul\ncategory:")
    problems = check(portal_repo)
    # category is present but empty (its key's place); date and summary are absent (the
    # closing --- line, where they should be added)
    assert found(problems) == {("REL005", 3, 1), ("REL005", 4, 1)}
    assert sum(d.code == "REL005" for d in problems) == 3


def test_yaml_tags_are_refused(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(title="!!python/object/apply:os.system [echo]")
    assert found(check(portal_repo)) == {("YAML002", 2, 8)}


def test_yaml_anchors_and_aliases_are_refused(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(author="&penulis Humas", contact="*penulis")
    assert found(check(portal_repo)) == {("YAML003", 6, 9)}


def test_yaml_alias_is_refused(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(contact="*penulis")
    assert codes(check(portal_repo)) == {"YAML003"}


def test_duplicate_key_names_the_first(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(
        raw_front_matter=front_matter(
            title='"Judul Pertama"',
            date='"2024-05-18 16:30"',
            summary=SUMMARY,
            category="pemerintahan",
        )
        + '\ntitle: "Judul Kedua"'
    )
    problems = check(portal_repo)
    assert found(problems) == {("YAML004", 6, 1)}
    assert "baris 2" in message(problems, "YAML004")


def test_yaml_syntax_error_has_its_line(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(summary='"tidak ditutup')
    problems = check(portal_repo)
    assert codes(problems) == {"YAML001"}
    assert all(d.line >= 4 for d in problems)


def test_tab_indentation_is_explained(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(raw_front_matter='title: "x"\ntags:\n\t- satu')
    problems = check(portal_repo)
    assert codes(problems) == {"YAML001"}
    assert "tab" in message(problems, "YAML001")


# --- fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["NO", "off", "yes", "True", '"true"', "1"])
def test_draft_accepts_only_true_or_false(portal_repo: PortalRepo, value: str) -> None:
    portal_repo.write_release(draft=value)
    problems = check(portal_repo)
    assert found(problems) == {("REL018", 6, 8)}
    assert "true atau false" in message(problems, "REL018")


def test_drafts_and_embargoes_load_but_are_not_public(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(draft="true")
    portal_repo.write_release(slug="embargo", publish_at='"2030-01-01 08:00"')
    portal_repo.write_release(slug="terbuka", publish_at='"2024-05-19 08:00"')
    releases, problems = load(portal_repo)
    assert problems == []
    assert {r.slug for r in releases} == {"rapat-koordinasi", "embargo", "terbuka"}
    embargoed = next(r for r in releases if r.slug == "embargo")
    assert embargoed.publish_at == datetime(2030, 1, 1, 8, tzinfo=ZoneInfo("Asia/Jakarta"))
    portal, problems = validate(portal_repo.settings())
    assert portal is not None and problems == []
    assert [r.slug for r in portal.releases] == ["terbuka"]


def test_title_rules(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(title='"Rapat <script>alert(1)</script>"')
    portal_repo.write_release(slug="panjang", title='"' + "a" * 151 + '"')
    portal_repo.write_release(slug="tebal", title='"Rapat **penting**"')
    problems = check(portal_repo)
    assert found(problems) == {("REL010", 2, 15)}
    assert found(problems, REL.replace("rapat-koordinasi", "panjang")) == {("REL010", 2, 8)}
    assert found(problems, REL.replace("rapat-koordinasi", "tebal")) == {("REL010", 2, 15)}


def test_summary_length(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(summary='"Terlalu pendek."')
    portal_repo.write_release(slug="panjang", summary='"' + "kata " * 70 + '"')
    problems = check(portal_repo)
    assert found(problems) == {("REL011", 4, 10)}
    assert "paling sedikit 50" in next(d.message for d in problems if d.path == REL)
    assert codes(problems, REL.replace("rapat-koordinasi", "panjang")) == {"REL011"}


def test_unknown_category_type_and_verdict(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(category="kesehatn", type="siaran_pers")
    problems = check(portal_repo)
    assert found(problems) == {("REL015", 5, 11), ("REL016", 6, 7)}
    assert "maksud Anda 'kesehatan'?" in message(problems, "REL015")
    assert "maksud Anda 'siaran-pers'?" in message(problems, "REL016")


def hoax_claim(verdict: str = "hoaks", first_seen: str = "2024-05-17") -> str:
    return (
        '\n  text: "Pesan berantai menyebut bantuan tunai dibagikan lewat tautan."'
        f"\n  verdict: {verdict}\n  first_seen: {first_seen}"
        '\n  source_urls:\n    - "https://contoh.id/unggahan/123"'
    )


def test_hoax_clarification(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(type="klarifikasi-hoaks", claim=hoax_claim())
    releases, problems = load(portal_repo)
    assert problems == []
    claim = releases[0].claim
    assert claim is not None and claim.verdict is Verdict.HOAKS
    assert claim.first_seen is not None and claim.first_seen.isoformat() == "2024-05-17"
    assert claim.source_urls == ("https://contoh.id/unggahan/123",)


def test_hoax_rules(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(type="klarifikasi-hoaks")
    portal_repo.write_release(slug="vonis", type="klarifikasi-hoaks", claim=hoax_claim("palsu"))
    portal_repo.write_release(slug="salah-jenis", claim=hoax_claim())
    portal_repo.write_release(
        slug="tanggal", type="klarifikasi-hoaks", claim=hoax_claim(first_seen="2024-02-30")
    )
    problems = check(portal_repo)
    assert found(problems) == {("REL022", 6, 1)}
    # front_matter() indents a multi-line value under a blank line: text is on line 9
    assert found(problems, REL.replace("rapat-koordinasi", "vonis")) == {("REL022", 10, 14)}
    assert found(problems, REL.replace("rapat-koordinasi", "salah-jenis")) == {("REL022", 6, 1)}
    assert found(problems, REL.replace("rapat-koordinasi", "tanggal")) == {("REL022", 11, 25)}


def test_hoax_source_urls_must_be_web_addresses(portal_repo: PortalRepo) -> None:
    claim = hoax_claim().replace("https://contoh.id/unggahan/123", "javascript:alert(1)")
    portal_repo.write_release(type="klarifikasi-hoaks", claim=claim)
    assert found(check(portal_repo)) == {("REL022", 13, 9)}


def test_tags(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(tags="[" + ", ".join(f"tag-{i}" for i in range(11)) + "]")
    portal_repo.write_release(slug="huruf", tags="[Banjir, NO]")
    portal_repo.write_release(slug="teks", tags="banjir")
    problems = check(portal_repo)
    assert codes(problems) == {"REL017"}
    assert {(d.code, d.line) for d in problems if d.path.endswith("huruf.md")} == {("REL017", 6)}
    assert sum(d.path.endswith("huruf.md") for d in problems) == 2
    assert found(problems, REL.replace("rapat-koordinasi", "teks")) == {("REL017", 6, 7)}


def test_region_key_must_agree_with_the_folder(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(region="kota-makassar")
    problems = check(portal_repo)
    assert found(problems) == {("REL023", 6, 9)}
    portal_repo.write_release(region="kota-bandung")
    assert check(portal_repo) == []


def test_updates_and_withdrawal(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(
        updates='\n  - date: "2024-05-20 09:00"\n    note: "Jumlah peserta diralat."'
        '\n  - date: 2024-05-19T01:00:00Z\n    note: "Lokasi diralat."',
        withdrawn='\n  date: "2024-06-01 10:00"\n  reason: "Acara dibatalkan."',
    )
    releases, problems = load(portal_repo)
    assert problems == []
    release = releases[0]
    assert [u.note for u in release.updates] == ["Lokasi diralat.", "Jumlah peserta diralat."]
    assert release.updates[0].date.isoformat() == "2024-05-19T08:00:00+07:00"
    assert release.withdrawn is not None and release.withdrawn.reason == "Acara dibatalkan."
    assert release.updated == release.withdrawn.date


def test_update_rules(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(
        updates='\n  - date: "2024-05-01 09:00"\n    note: "Sebelum rilis."'
        "\n  - note: tanpa tanggal\n  - tanggal: x",
        withdrawn="ya",
    )
    problems = check(portal_repo)
    assert found(problems) == {
        ("REL020", 8, 14),  # earlier than the release
        ("REL020", 10, 7),  # no date
        ("REL004", 11, 7),  # unknown key
        ("REL020", 11, 7),  # ... and, in the same entry, no date (all problems at once)
        ("REL021", 12, 1),  # not a mapping
    }


# --- images ----------------------------------------------------------------------------------


def test_lead_image(portal_repo: PortalRepo) -> None:
    data = png_bytes()
    write_raw(portal_repo, data, "content/kota-bandung/2024/foto-rapat.png")
    portal_repo.write_release(image="foto-rapat.png", image_alt='"Peserta rapat di aula"')
    releases, problems = load(portal_repo)
    assert problems == []
    image = releases[0].image
    assert image is not None
    assert image.source_path == "content/kota-bandung/2024/foto-rapat.png"
    assert image.url == "kota-bandung/2024/foto-rapat.png"
    assert (image.size_bytes, image.mime_type, image.alt) == (
        len(data),
        "image/png",
        "Peserta rapat di aula",
    )
    first_digest = releases[0].digest
    write_raw(portal_repo, png_bytes(3, 3), "content/kota-bandung/2024/foto-rapat.png")
    assert load(portal_repo)[0][0].digest != first_digest  # the image is part of the digest


def test_image_problems(portal_repo: PortalRepo) -> None:
    write_raw(portal_repo, png_bytes(), "content/kota-makassar/2024/foto.png")
    write_raw(portal_repo, png_bytes(), "content/kota-bandung/2024/foto.jpg")  # PNG bytes
    write_raw(portal_repo, b"GIF89a......", "content/kota-bandung/2024/palsu.png")
    write_raw(portal_repo, png_bytes(padding=600_000), "content/kota-bandung/2024/besar.png")
    cases = {
        "hilang": ("foto-rapatt.png", "IMG001"),
        "luar": ("../../kota-makassar/2024/foto.png", "IMG002"),
        "sistem": ("../../../../../etc/passwd", "IMG002"),
        "besar": ("besar.png", "IMG003"),
        "akhiran": ("foto.jpg", "IMG004"),
        "bukan-gambar": ("palsu.png", "IMG004"),
        "alamat": ("https://contoh.id/foto.png", "IMG006"),
        "absolut": ("/etc/passwd", "IMG006"),
        "spasi": ('"foto rapat.png"', "IMG006"),
    }
    for slug, (value, _) in cases.items():
        portal_repo.write_release(slug=slug, image=value, image_alt='"Foto"')
    portal_repo.write_release(slug="tanpa-alt", image="foto.jpg")
    problems = check(portal_repo)
    for slug, (_, code) in cases.items():
        rel = REL.replace("rapat-koordinasi", slug)
        assert {(c, line) for c, line, _ in found(problems, rel)} == {(code, 6)}, slug
    assert "maksud Anda 'foto-rapat.png'" not in message(problems, "IMG001")
    assert codes(problems, REL.replace("rapat-koordinasi", "tanpa-alt")) >= {"IMG005"}
    # the standalone files are judged too
    assert codes(problems, "content/kota-bandung/2024/besar.png") == {"IMG003"}
    assert codes(problems, "content/kota-bandung/2024/palsu.png") == {"IMG004"}


def test_body_images(portal_repo: PortalRepo) -> None:
    write_raw(portal_repo, png_bytes(), "content/kota-bandung/2024/peta.png")
    portal_repo.write_release(
        body="Teks.\n\n![Peta lokasi](peta.png)\n\n![Hilang](tidak-ada.png)\n\n"
        "![Luar](https://cdn.contoh.id/x.png)\n\n![Lain](../../kota-makassar/a.png)\n"
    )
    problems = check(portal_repo)
    # the body starts on line 8 (front matter of 4 keys, closing ---, blank line)
    assert found(problems) == {("IMG001", 12, 11), ("MD006", 14, 9), ("IMG002", 16, 9)}


# --- body ------------------------------------------------------------------------------------


def test_body_problems_are_reported_at_their_line(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(
        body="Paragraf.\n\n[klik](javascript:alert(1)) dan [x](&#106;avascript:alert(1))\n\n"
        '<script>alert(1)</script>\n\n<a href="https://a.id" onclick="x()">a</a>\n'
    )
    problems = check(portal_repo)
    assert found(problems) == {
        ("MD001", 10, 8),
        ("MD001", 10, 37),
        ("MD002", 12, 1),
        ("MD003", 14, 24),
    }


def test_deep_nesting_is_rejected_before_rendering(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(body="Awal.\n\n" + "[" * 5000 + "\n")
    problems = check(portal_repo)
    # reported where the per-file budget of '[' runs out
    assert found(problems) == {("MD004", 10, 4001)}


# --- paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "code", "words"),
    [
        ("content/kota-bandung/2024/2024-05-18-Rapat.md", "REL031", "huruf besar"),
        ("content/kota-bandung/2024/2024-05-18-rapat koordinasi.md", "REL031", "spasi"),
        ("content/kota-bandung/2024/2024-05-18-rapat%20a.md", "REL031", "persen"),
        ("content/kota-bandung/2024/2024-05-18-rapat\\a.md", "REL031", "garis miring"),
        ("content/kota-bandung/2024/2024-05-18-rapat--a.md", "REL031", "slug"),
        ("content/kota-bandung/2024/2024-05-18-" + "a" * 81 + ".md", "REL031", "80"),
        ("content/kota-bandung/2024/rapat.md", "REL031", "<tahun>-<bulan>"),
        ("content/kota-bandung/2024/2024-05-18-rapat.markdown", "REL033", ".md"),
        ("content/kota-bandung/2024/catatan.txt", "REL033", ".txt"),
        ("content/kota-bandung/2024/animasi.gif", "REL033", "JPEG"),
        ("content/kota-bandung/2024-05-18-rapat.md", "REL030", "kota-bandung/2024/"),
        ("content/2024-05-18-rapat.md", "REL030", "<id-wilayah>"),
        ("content/kota-bandungg/2024/2024-05-18-rapat.md", "REL032", "kota-bandung"),
        ("content/kota-bandung/2023/2024-05-18-rapat.md", "REL014", "2024"),
    ],
)
def test_path_problems(portal_repo: PortalRepo, rel: str, code: str, words: str) -> None:
    portal_repo.write_release()
    source = (portal_repo.root / REL).read_text(encoding="utf-8")
    (portal_repo.root / REL).unlink()
    write_raw(portal_repo, source, rel)
    problems = check(portal_repo)
    assert (code, 1, 1) in found(problems, rel)
    assert words in message(problems, code)
    releases, _ = load(portal_repo)
    assert releases == []  # a misplaced file is never published


def test_misnamed_release_still_gets_its_content_checked(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(draft="NO")
    source = (portal_repo.root / REL).read_text(encoding="utf-8")
    (portal_repo.root / REL).unlink()
    rel = "content/kota-bandung/2024/2024-05-18-Rapat.md"
    write_raw(portal_repo, source, rel)
    assert found(check(portal_repo), rel) == {("REL031", 1, 1), ("REL018", 6, 8)}


def test_duplicate_id_is_reported_on_both_files(portal_repo: PortalRepo) -> None:
    portal_repo.write_release()
    source = (portal_repo.root / REL).read_text(encoding="utf-8")
    other = "content/kota-bandung/2023/2024-05-18-rapat-koordinasi.md"
    write_raw(portal_repo, source, other)
    problems = check(portal_repo)
    assert ("REL034", 1, 1) in found(problems, REL)
    assert ("REL034", 1, 1) in found(problems, other)
    assert other in next(d.message for d in problems if d.path == REL)
    assert REL in next(d.message for d in problems if d.path == other and d.code == "REL034")


def test_symlinks_are_never_followed(portal_repo: PortalRepo, tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.md"
    secret.write_text("---\ntitle: rahasia\n---\n", encoding="utf-8")
    link = portal_repo.root / REL
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    folder_link = portal_repo.root / "content" / "kota-makassar"
    folder_link.symlink_to(tmp_path)
    problems = check(portal_repo)
    assert found(problems) == {("FILE002", 1, 1)}
    assert found(problems, "content/kota-makassar") == {("FILE002", 1, 1)}
    assert load(portal_repo)[0] == []


@pytest.mark.parametrize(
    ("payload", "code", "line", "col"),
    [
        ("---\ntitle: caf\xe9\n".encode("latin-1"), "FILE005", 2, 11),
        (b"---\ntitle: a\x00b\n", "FILE004", 2, 9),
        ("---\ntitle: \u202eabc\n---\n".encode(), "FILE006", 2, 8),
        (b"---\ntitle: a\x1bb\n---\n", "FILE007", 2, 9),
    ],
)
def test_unsafe_bytes(
    portal_repo: PortalRepo, payload: bytes, code: str, line: int, col: int
) -> None:
    write_raw(portal_repo, payload)
    assert found(check(portal_repo)) == {(code, line, col)}


def test_size_limit(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(body="kata " * 50_000)
    assert found(check(portal_repo)) == {("FILE003", 1, 1)}
    assert check(portal_repo, max_release_bytes=1_000_000) == []


def test_only_paths_checks_those_files_but_ids_globally(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(draft="NO")  # broken, but not part of this change
    mine = portal_repo.write_release(slug="milik-saya")
    settings = portal_repo.settings()
    registry, _ = load_regions(settings.root)
    categories, _ = load_categories(settings)
    mine_rel = mine.relative_to(portal_repo.root).as_posix()
    releases, problems = load_releases(settings, registry, categories, only_paths=[mine_rel])
    assert problems == [] and [r.slug for r in releases] == ["milik-saya"]
    duplicate = "content/kota-bandung/2023/2024-05-18-rapat-koordinasi.md"
    write_raw(portal_repo, (portal_repo.root / REL).read_text(encoding="utf-8"), duplicate)
    _, problems = load_releases(settings, registry, categories, only_paths=[duplicate])
    assert {(d.path, d.code) for d in problems if d.code == "REL034"} == {
        (REL, "REL034"),
        (duplicate, "REL034"),
    }


def test_no_traceback_on_odd_files(portal_repo: PortalRepo) -> None:
    odd = [
        "---\n",
        "---\n---\n---\n",
        "---\n: \n---\n",
        "---\n[\n---\n",
        "---\n? [a, b]\n: c\n---\n",
        "---\ntitle: {a: [b, {c: d}]}\n---\n",
        "---\n" + "a: [" * 200 + "\n---\n",
        "---\ntitle: x\n---\n" + "> " * 100 + "- " * 100 + "\n",
        "\ufeff---\ntitle: x\n---\n",
        "---\r\ntitle: x\r\n---\r\n",
    ]
    for index, text in enumerate(odd):
        write_raw(portal_repo, text, f"content/kota-bandung/2024/2024-05-18-aneh-{index}.md")
    problems = check(portal_repo)
    assert all(d.severity is Severity.ERROR for d in problems)
    assert {d.path for d in problems} == {
        f"content/kota-bandung/2024/2024-05-18-aneh-{i}.md" for i in range(len(odd))
    }
    assert "REL099" not in {d.code for d in problems}


def test_ignored_and_allowed_files(portal_repo: PortalRepo) -> None:
    portal_repo.write_release()
    write_raw(portal_repo, b"", "content/kota-bandung/.gitkeep")
    write_raw(portal_repo, b"", "content/kota-bandung/2024/.DS_Store")
    write_raw(portal_repo, png_bytes(), "content/kota-bandung/galeri/foto-1.png")
    assert check(portal_repo) == []


def test_scale_checking_is_linear(portal_repo: PortalRepo) -> None:
    """2,000 releases are checked in a few seconds (about a millisecond each)."""
    import time

    path = portal_repo.write_release()
    source = path.read_text(encoding="utf-8")
    folder = path.parent
    for index in range(2000):
        (folder / f"2024-05-18-rilis-{index}.md").write_text(source, encoding="utf-8")
    started = time.process_time()
    releases, problems = load(portal_repo)
    elapsed = time.process_time() - started
    assert problems == [] and len(releases) == 2001
    assert elapsed < 10, elapsed


def _with_date(repo: PortalRepo, slug: str, written: str) -> str:
    path = repo.write_release("kota-jayapura", "2024-05-18 09:00", slug)
    path.write_text(
        path.read_text(encoding="utf-8").replace('"2024-05-18 09:00"', f'"{written}"'),
        encoding="utf-8",
    )
    return path.relative_to(repo.root).as_posix()


def test_an_offset_other_than_the_regions_own_is_a_warning(portal_repo: PortalRepo) -> None:
    rel = _with_date(portal_repo, "offset-asing", "2024-05-18T07:00:00+07:00")
    _, problems = validate(portal_repo.settings())
    found_here = [d for d in problems if d.code == "REL036"]
    assert [(d.path, d.line, d.severity.value) for d in found_here] == [(rel, 3, "warning")]
    assert "09.00 WIT" in found_here[0].message
    assert '"2024-05-18 07:00"' in found_here[0].message


def test_the_regions_own_offset_is_silent(portal_repo: PortalRepo) -> None:
    _with_date(portal_repo, "offset-sendiri", "2024-05-18T09:00:00+09:00")
    _, problems = validate(portal_repo.settings())
    assert not [d for d in problems if d.code == "REL036"]


# --- what the renderer sees but the source does not show (audit of 2026-11-29) ---------------


def test_images_only_the_renderer_sees_are_checked_too(portal_repo: PortalRepo) -> None:
    """Reference definitions and deeper nesting make images that a source scan misses: a
    remote one (a tracking pixel) is MD006, a missing local one IMG001."""
    portal_repo.write_release(
        body="Teks.\n\n![pelacak][ref]\n\n![a [b [c]] d](https://evil.contoh/x.png)\n\n"
        "![hilang][lokal]\n\n[ref]: https://pelacak.contoh/pixel.png\n"
        "[lokal]: tidak-ada.jpg\n"
    )
    problems = check(portal_repo)
    found_codes = sorted(code for code, _line, _col in found(problems))
    assert found_codes.count("MD006") == 2, problems
    assert "IMG001" in found_codes
    md006 = sorted(line for code, line, _col in found(problems) if code == "MD006")
    assert md006 == [12, 16]  # the definition line and the nested image's line


def test_remote_images_never_reach_a_page_even_unchecked() -> None:
    from generator.markup import render_body

    html_text = render_body(
        "![x][r]\n\n[r]: https://pelacak.contoh/p.png\n\n![y](//cdn.contoh/q.png)\n\nTeks.",
        source_dir="kota-bandung/2024",
        url_prefix="../",
    )
    assert "<img" not in html_text and "pelacak" not in html_text and "Teks." in html_text


def test_escaped_control_and_bidi_characters_in_front_matter_are_refused(
    portal_repo: PortalRepo,
) -> None:
    portal_repo.write_release(
        title='"Rapat\\eKoordinasi"', summary='"Ringkasan \\u202e terbalik dan \\ud800 rusak."'
    )
    problems = check(portal_repo)
    assert {(code, line) for code, line, _ in found(problems)} >= {
        ("FILE007", 2),
        ("FILE006", 4),
    }
    assert "kode escape YAML" in message(problems, "FILE006")


def test_character_references_to_controls_in_the_body_are_refused(
    portal_repo: PortalRepo,
) -> None:
    portal_repo.write_release(body="Satu &#27; dua.\n\nTiga &#x202E; empat &#xFFFE; lima.\n")
    problems = check(portal_repo)
    assert {(code, line) for code, line, _ in found(problems)} == {
        ("FILE007", 8),
        ("FILE006", 10),
        ("FILE007", 10),
    }


def test_a_long_tight_definition_list_is_refused_before_rendering(
    portal_repo: PortalRepo,
) -> None:
    items = "".join(f"Istilah {n}\n: Arti {n}\n" for n in range(600))
    portal_repo.write_release(body="Daftar istilah.\n\n" + items)
    problems = check(portal_repo)
    assert "MD004" in codes(problems)
    assert "definisi" in message(problems, "MD004")


def test_a_value_with_line_breaks_stays_on_one_line_of_output(portal_repo: PortalRepo) -> None:
    """A quoted value in a message cannot start a line of its own (a CI workflow command)."""
    portal_repo.write_release(category='"x\\n::error file=README.md,line=1::palsu"')
    lines = [d.format() for d in check(portal_repo)]
    assert lines and all("\n" not in line for line in lines)
    assert not any(line.startswith("::") for text in lines for line in text.splitlines())
    assert any("\\n::error" in line for line in lines)


@pytest.mark.parametrize(
    ("line_2", "expected", "words"),
    [
        ('title: "Rapat "Desa Digital" 2026"', (2, 16), "kutip tunggal"),
        ("title: Rapat: Koordinasi", (2, 13), "titik dua"),
        ("title: @rapat", (2, 8), "diawali"),
        ('title: "Rapat Koordinasi', (2, 8), "tidak ditutup"),
        ("tags: [rapat, kehumasan", (2, 7), "tidak ditutup dengan ']'"),
        ("Rapat tanpa kunci", (2, 1), "bukan pasangan 'kunci: nilai'"),
    ],
)
def test_yaml_slips_are_explained_where_they_were_made(
    portal_repo: PortalRepo, line_2: str, expected: tuple[int, int], words: str
) -> None:
    """PyYAML's English (often one line late) becomes what to do, at the line of the slip."""
    path = portal_repo.write_release()
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = line_2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [d for d in check(portal_repo) if d.code == "YAML001"]
    assert [(d.line, d.col) for d in problems] == [expected]
    assert words in problems[0].message


@pytest.mark.parametrize(
    "body", ["<a " * 20_000, "Judul\n=\n" * 1_000, "<a\n" * 13_000], ids=["tags", "setext", "lt"]
)
def test_bodies_that_would_take_minutes_to_scan_are_refused_by_the_budget(
    portal_repo: PortalRepo, body: str
) -> None:
    """Quadratic in Python-Markdown (and in any tag scan): one MD004 and nothing else, so the
    body was refused before any slow scan or rendering ran."""
    portal_repo.write_release(body=body)
    assert codes(check(portal_repo)) == {"MD004"}


def test_a_release_dated_in_the_future_without_publish_at_is_warned(
    portal_repo: PortalRepo,
) -> None:
    """It would lead every listing until the date passes (the fixture builds on 2026-11-01)."""
    future = "content/kota-bandung/2199/2199-12-31-selalu-di-atas.md"
    portal_repo.write_release("kota-bandung", "2199-12-31 23:59", "selalu-di-atas")
    portal_repo.write_release(
        "kota-bandung", "2199-12-30 10:00", "terjadwal", publish_at='"2199-12-30 10:00"'
    )
    portal_repo.write_release("kota-bandung", "2026-11-01 20:00", "besok-pagi")  # < 1 day
    problems = check(portal_repo)
    assert [(d.path, d.code, d.line, d.col) for d in problems if d.code == "REL037"] == [
        (future, "REL037", 3, 7)
    ]
    assert next(d for d in problems if d.code == "REL037").severity is Severity.WARNING
    _portal, build_problems = validate(portal_repo.settings())
    assert [d.path for d in build_problems if d.code == "REL037"] == [future]


def test_old_mac_line_endings_read_like_any_other(portal_repo: PortalRepo) -> None:
    path = portal_repo.write_release()
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert check(portal_repo) == []


def test_suggestions_keep_the_letters_and_name_windows_paths(portal_repo: PortalRepo) -> None:
    portal_repo.write_release(tags="[ümkm]", body="Foto:\n\n![Rapat](C:\\Users\\humas\\foto.jpg)\n")
    problems = check(portal_repo)
    assert "mis. 'umkm'" in message(problems, "REL017")
    assert "komputer Anda sendiri" in message(problems, "MD001")


def test_every_problem_of_an_update_or_withdrawal_is_reported_at_once(
    portal_repo: PortalRepo,
) -> None:
    portal_repo.write_release(
        updates='[{date: "2024-05-01 08:00", note: "<b>Ralat</b>"}]',
        withdrawn='{date: "2024-05-02 08:00", reason: "", alasan: "x"}',
    )
    problems = [d for d in check(portal_repo) if d.path == REL]
    found_codes = sorted(d.code for d in problems)
    earlier = [d for d in problems if "lebih awal dari tanggal rilis" in d.message]
    assert {d.code for d in earlier} == {"REL020", "REL021"}  # both dates, despite the rest
    assert "REL004" in found_codes  # the unknown key 'alasan'
    assert found_codes.count("REL020") >= 2 and found_codes.count("REL021") >= 2
