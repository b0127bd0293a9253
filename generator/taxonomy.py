"""Stage 2: the controlled topic vocabulary, ``content/categories.yml``.

The file is a mapping ``<category-id>: {label, description}``; the id is what a release
writes in ``category:`` and the label is what the portal shows. It is read with the strict
YAML reader (every scalar a string, no tags, anchors or duplicate keys) and checked with the
same rigour as a release, each problem as ``path:line:col: CAT0xx message``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType

from . import strictyaml as sy
from .config import Settings
from .diagnostics import Diagnostic, DiagnosticSink
from .model import Category
from .regions import SLUG_RE
from .sources import read_source

CATEGORIES_FILE = "categories.yml"
_CATEGORY_KEYS = ("label", "description")
_MAX_FILE_BYTES = 64 * 1024
_MAX_LABEL_CHARS = 60
_MAX_DESCRIPTION_CHARS = 300


def categories_path(settings: Settings) -> str:
    """Repository-relative path of the vocabulary file."""
    return f"{settings.content_dir}/{CATEGORIES_FILE}"


def load_categories(settings: Settings) -> tuple[Mapping[str, Category], list[Diagnostic]]:
    """Read and validate ``content/categories.yml``; invalid entries are left out and reported.

    The mapping keeps the file's order, which is the order the portal lists categories in.
    """
    rel = categories_path(settings)
    sink = DiagnosticSink()
    path = settings.root / rel
    if not path.exists() and not path.is_symlink():
        sink.error(
            rel,
            1,
            1,
            "CAT001",
            "berkas kosakata kategori tidak ditemukan; buat content/categories.yml berisi "
            "'<id>: {label: …, description: …}'",
        )
        return MappingProxyType({}), list(sink.items)
    source, problems = read_source(path, rel, max_bytes=_MAX_FILE_BYTES)
    sink.extend(problems)
    if source is None:
        return MappingProxyType({}), list(sink.items)
    tree, problems = sy.parse(source.text, rel)
    sink.extend(problems)
    if tree is None:
        if not problems:
            sink.error(rel, 1, 1, "CAT002", "berkas kategori kosong; tulis minimal satu kategori")
        return MappingProxyType({}), list(sink.items)
    if not isinstance(tree, sy.Mapping):
        sink.error(
            rel,
            tree.line,
            tree.col,
            "CAT002",
            f"berkas kategori harus berupa daftar kunci '<id>: {{label, description}}', "
            f"tetapi berisi {sy.describe(tree)}",
        )
        return MappingProxyType({}), list(sink.items)
    categories: dict[str, Category] = {}
    for entry in tree.entries:
        category = _read_category(entry, rel, sink)
        if category is not None:
            categories[category.id] = category
    if not categories and not sink.has_errors():
        sink.error(rel, 1, 1, "CAT002", "berkas kategori kosong; tulis minimal satu kategori")
    return MappingProxyType(categories), list(sink.items)


def _read_category(entry: sy.Entry, rel: str, sink: DiagnosticSink) -> Category | None:
    category_id = entry.key
    ok = True
    if not SLUG_RE.match(category_id) or len(category_id) > 40:
        sink.error(
            rel,
            entry.key_line,
            entry.key_col,
            "CAT003",
            f"id kategori '{category_id}' harus huruf kecil, angka dan tanda hubung, "
            "paling panjang 40 karakter (contoh: kesehatan, ekonomi-kreatif)",
        )
        ok = False
    value = entry.value
    if not isinstance(value, sy.Mapping):
        sink.error(
            rel,
            entry.key_line,
            entry.key_col,
            "CAT002",
            f"kategori '{category_id}' harus berisi 'label' dan 'description', "
            f"tetapi berisi {sy.describe(value)}",
        )
        return None
    fields: dict[str, str] = {}
    for item in value.entries:
        if item.key not in _CATEGORY_KEYS:
            hint = difflib.get_close_matches(item.key, _CATEGORY_KEYS, n=1, cutoff=0.6)
            suggestion = f" (maksud Anda '{hint[0]}'?)" if hint else ""
            sink.error(
                rel,
                item.key_line,
                item.key_col,
                "CAT004",
                f"kunci '{item.key}' tidak dikenal{suggestion}; kunci yang sah: "
                + ", ".join(_CATEGORY_KEYS),
            )
            ok = False
            continue
        text = item.value
        if not isinstance(text, sy.Scalar) or text.is_null or not text.value.strip():
            sink.error(
                rel,
                item.key_line,
                item.key_col,
                "CAT005",
                f"'{item.key}' kategori '{category_id}' harus berupa teks yang tidak kosong",
            )
            ok = False
            continue
        limit = _MAX_LABEL_CHARS if item.key == "label" else _MAX_DESCRIPTION_CHARS
        cleaned = " ".join(text.value.split())
        if len(cleaned) > limit:
            sink.error(
                rel,
                text.line,
                text.col,
                "CAT005",
                f"'{item.key}' terlalu panjang ({len(cleaned)} karakter); paling banyak {limit}",
            )
            ok = False
            continue
        fields[item.key] = cleaned
    if "label" not in fields and value.get("label") is None:
        sink.error(
            rel,
            entry.key_line,
            entry.key_col,
            "CAT005",
            f"kategori '{category_id}' wajib punya 'label' (nama yang tampil di portal)",
        )
        ok = False
    if not ok:
        return None
    return Category(
        id=category_id, label=fields["label"], description=fields.get("description", "")
    )
