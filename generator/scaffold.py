"""``portal new <region-id> "<title>"``: a correctly named release with a commented template.

The file gets today's date and time in the region's own zone, so its name, its folder and
its ``date`` agree from the start. Every front-matter key is explained in Indonesian in a
comment above it; the optional ones are commented out. The required ``summary`` and
``category`` are left empty on purpose: ``portal check`` fails until the office fills them.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from .config import Settings
from .diagnostics import UsageError
from .regions import load_regions
from .releases import (
    MAX_SLUG_CHARS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    MIN_SUMMARY_CHARS,
    markup_in_plain_text,
)
from .taxonomy import load_categories


def slug_from_title(title: str) -> str:
    """``"Rapat Koordinasi: Humas 2024!"`` → ``rapat-koordinasi-humas-2024`` (≤ 80 chars)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        cut = slug[: MAX_SLUG_CHARS + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_SLUG_CHARS]
    return slug.strip("-")


def new_release(
    settings: Settings, region_id: str, title: str, now: datetime | None = None
) -> Path:
    """Create ``content/<region>/<YYYY>/<YYYY-MM-DD>-<slug>.md`` and return its path."""
    registry, _ = load_regions(settings.root, settings.regions_dir)
    region = registry.get(region_id)
    if region is None:
        close = difflib.get_close_matches(region_id.lower(), list(registry.regions), n=3)
        hint = f" Maksud Anda: {', '.join(close)}?" if close else ""
        raise UsageError(
            f"wilayah '{region_id}' tidak ada di registri regions/.{hint} "
            "Daftar id ada di folder regions/ (nama berkas tanpa .yml)."
        )
    title = " ".join(title.split())
    if not title:
        raise UsageError("judul tidak boleh kosong")
    if len(title) > MAX_TITLE_CHARS:
        raise UsageError(
            f"judul terlalu panjang ({len(title)} karakter); paling banyak {MAX_TITLE_CHARS}"
        )
    markup = markup_in_plain_text(title)
    if markup is not None:
        # The same rule as the check (REL010): refused now rather than in the pull request.
        raise UsageError(f"judul harus teks biasa tanpa HTML atau Markdown; hapus '{markup}'")
    slug = slug_from_title(title)
    if not slug:
        raise UsageError(
            "judul harus memuat huruf latin (a-z) atau angka: nama berkas dibuat dari judul"
        )
    moment = (now or datetime.now(UTC)).astimezone(region.tzinfo)
    rel = f"{settings.content_dir}/{region.id}/{moment:%Y}/{moment:%Y-%m-%d}-{slug}.md"
    path = settings.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    categories, _ = load_categories(settings)
    text = _template(title, moment, region.zone_label, region.office_name, list(categories))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise UsageError(
            f"{rel} sudah ada; berkas yang ada tidak ditimpa. Pakai judul lain atau sunting "
            "berkas itu"
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def _template(title: str, moment: datetime, zone: str, office: str, categories: list[str]) -> str:
    quoted_title = json.dumps(title, ensure_ascii=False)  # a valid YAML double-quoted string
    category_list = ", ".join(categories) or "(lihat content/categories.yml)"
    return f"""---
# Judul rilis (wajib): teks biasa tanpa HTML atau Markdown, paling panjang
# {MAX_TITLE_CHARS} karakter.
title: {quoted_title}
# Tanggal dan jam terbit (wajib), waktu setempat ({zone}): "YYYY-MM-DD HH:MM".
# Tanggalnya harus sama dengan tanggal di nama berkas.
date: "{moment:%Y-%m-%d %H:%M}"
# Ringkasan (wajib): {MIN_SUMMARY_CHARS}-{MAX_SUMMARY_CHARS} karakter teks biasa; tampil sebagai
# pembuka rilis dan di umpan RSS. Tulis di antara tanda kutip.
summary: ""
# Kategori (wajib), salah satu dari: {category_list}
category:
# Jenis rilis: siaran-pers (bawaan), berita, pengumuman, agenda, klarifikasi-hoaks.
type: siaran-pers
# Tag (boleh dikosongkan): paling banyak 10, huruf kecil dan tanda hubung.
# tags: [contoh-tag, tag-kedua]
# Penulis (boleh dikosongkan; bawaan: {office}).
# author: "Nama penulis atau unit"
# Kontak untuk media (boleh dikosongkan).
# contact: "Nama, telepon atau surel"
# Gambar utama (boleh dikosongkan): berkas .jpg, .png atau .webp di folder wilayah ini,
# ditulis relatif terhadap berkas rilis; image_alt (wajib bila ada gambar) menjelaskan
# isinya untuk pembaca tunanetra.
# image: foto-kegiatan.jpg
# image_alt: "Keterangan singkat isi gambar"
# Embargo (boleh dikosongkan): rilis tidak tampil sebelum waktu setempat ini.
# publish_at: "{moment:%Y-%m-%d %H:%M}"
# Draf (boleh dikosongkan): true berarti belum diterbitkan. Hanya true atau false.
# draft: true
# Pembaruan atau ralat setelah terbit (boleh dikosongkan): tanggal dan catatannya.
# updates:
#   - date: "{moment:%Y-%m-%d %H:%M}"
#     note: "Apa yang diperbaiki"
# Penarikan (boleh dikosongkan): halaman tetap ada, ditandai ditarik, keluar dari daftar.
# withdrawn:
#   date: "{moment:%Y-%m-%d %H:%M}"
#   reason: "Alasan penarikan"
# Klaim yang diluruskan (wajib bila type: klarifikasi-hoaks). verdict salah satu dari:
# hoaks, disinformasi, misinformasi, satire, benar. first_seen: tanggal klaim pertama
# terlihat (YYYY-MM-DD). source_urls: alamat http(s) tempat klaim beredar.
# claim:
#   text: "Isi klaim yang beredar"
#   verdict: hoaks
#   first_seen: {moment:%Y-%m-%d}
#   source_urls:
#     - "https://contoh.id/unggahan"
---

Tulis isi rilis di sini dengan Markdown: paragraf dipisah baris kosong, **tebal**,
[tautan](https://contoh.go.id), dan gambar dari folder wilayah ini dengan
`![Keterangan gambar](nama-berkas.jpg)`.
"""
