"""Release bodies: Markdown → sanitized HTML (nh3), and the inspection that runs before it."""

from __future__ import annotations

import time

import pytest
from lxml import html as lxml_html

from generator import markup
from generator.markup import (
    ALLOWED_TAGS,
    MAX_BRACKET_DEPTH,
    MAX_BRACKET_SCAN,
    URL_PREFIX_SENTINEL,
    find_references,
    inspect_body,
    render_body,
    resolve_relative_url,
    url_scheme,
)

PAGE = {"source_dir": "kota-bandung/2024", "url_prefix": "../../../"}
FEED = {"source_dir": "kota-bandung/2024", "url_prefix": "https://portal.test/"}


def render(text: str, **where: str) -> str:
    return render_body(text, **(where or PAGE))


def hrefs(fragment: str) -> list[str | None]:
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return [a.get("href") for a in tree.iter("a")]


def test_relative_links_and_images_resolve_against_the_source_folder() -> None:
    body = (
        "![Peta](peta.png) [lampiran](../2023/2023-01-02-rilis-lama.md#isi) "
        "[kantor](/kantor/) [atas](#bagian) [folder](./galeri/)"
    )
    page = render(body)
    tree = lxml_html.fragment_fromstring(page, create_parent="div")
    assert tree.find(".//img").get("src") == "../../../kota-bandung/2024/peta.png"
    assert hrefs(page) == [
        "../../../kota-bandung/2023/2023-01-02-rilis-lama/#isi",
        "../../../kantor/",
        "#bagian",
        "../../../kota-bandung/2024/galeri/",
    ]
    feed = render(body, **FEED)
    assert 'src="https://portal.test/kota-bandung/2024/peta.png"' in feed


def test_relative_urls_never_climb_above_the_site() -> None:
    resolved = resolve_relative_url(
        "../../../../etc/passwd", source_dir="kota-bandung/2024", url_prefix="../../../"
    )
    assert resolved == "../../../etc/passwd"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "java&#x09;script:alert(1)",
        "java&Tab;script:alert(1)",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
    ],
)
def test_forbidden_schemes_are_removed_and_reported(url: str) -> None:
    body = f'[klik]({url})\n\n<a href="{url}">x</a>\n'
    assert hrefs(render(body)) == [None, None]
    problems = inspect_body(body, "content/a.md", 10)
    assert [(p.code, p.line) for p in problems if p.code == "MD001"] == [
        ("MD001", 10),
        ("MD001", 12),
    ]


def test_allowed_schemes_survive() -> None:
    body = "[a](https://a.id/x) [b](http://b.id) [c](mailto:humas@a.go.id) <https://d.id>"
    assert hrefs(render(body)) == [
        "https://a.id/x",
        "http://b.id",
        "mailto:humas@a.go.id",
        "https://d.id",
    ]
    assert inspect_body(body, "content/a.md", 1) == []


def test_links_get_noopener() -> None:
    tree = lxml_html.fragment_fromstring(render("[a](https://a.id)"), create_parent="div")
    assert tree.find(".//a").get("rel") == "noopener"


def test_raw_html_is_sanitized_and_reported() -> None:
    body = (
        "Teks.\n\n<script>alert(1)</script>\n\n"
        '<p onclick="x()" style="color:red">paragraf</p>\n\n'
        '<iframe src="https://a.id"></iframe>\n\n<h1>Judul kedua</h1>\n\n<sub>2</sub>\n'
    )
    html = render(body)
    assert "<script" not in html and "alert(1)" not in html
    assert "onclick" not in html and "style" not in html and "iframe" not in html
    assert "<h1" not in html and "<sub>2</sub>" in html
    problems = inspect_body(body, "content/a.md", 1)
    assert [(p.code, p.line, p.col) for p in problems] == [
        ("MD002", 3, 1),
        ("MD003", 5, 4),
        ("MD003", 5, 18),
        ("MD002", 7, 1),
        ("MD002", 9, 1),
    ]
    assert "<script> beserta isinya" in problems[0].message
    assert "'onclick'" in problems[1].message


def test_code_is_shown_not_checked() -> None:
    body = "`<script>` dan `[x](javascript:y)`\n\n```\n<iframe>\n[a](javascript:b)\n```\n"
    assert inspect_body(body, "content/a.md", 1) == []
    html = render(body)
    assert "&lt;script&gt;" in html and "&lt;iframe&gt;" in html


def test_headings_move_one_level_down() -> None:
    html = render("# Satu\n\n## Dua\n\n###### Enam")
    assert "<h2>Satu</h2>" in html and "<h3>Dua</h3>" in html and "<h6>Enam</h6>" in html


def test_highest_body_heading_becomes_h2_without_skipping() -> None:
    html = render("## Latar\n\nTeks.\n\n### Rincian\n\nTeks.")
    assert "<h2>Latar</h2>" in html and "<h3>Rincian</h3>" in html
    assert "<h1>" not in html


def test_tables_keep_alignment_as_classes() -> None:
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert '<th class="portal-align-left">a</th>' in html
    assert '<td class="portal-align-right">2</td>' in html
    assert "align=" not in html


def test_other_classes_never_survive_in_table_cells() -> None:
    html = render("| a |\n|---|\n| 1 |\n")
    assert "class" not in html


def test_every_markdown_construct_is_in_the_allowlist() -> None:
    body = (
        "## H\n\n*i* **b** `c` [a](https://a.id) ![i](x.png)\n\n> q\n\n- l\n\n1. o\n\n"
        "---\n\nterm\n: def\n\n```\ncode\n```\n\n| a |\n|---|\n| b |\n"
    )
    tree = lxml_html.fragment_fromstring(render(body), create_parent="div")
    tags = {element.tag for element in tree.iter()} - {"div"}
    assert tags <= ALLOWED_TAGS
    assert {"h2", "em", "strong", "code", "a", "img", "blockquote", "ul", "ol", "hr", "dl"} <= tags


def test_rendering_is_pure() -> None:
    body = "Teks [a](b.md) ![c](d.png)\n"
    first = render(body)
    markup._render_with_sentinel.cache_clear()
    assert render(body) == first
    assert render(body, **FEED) != first


#: Bodies whose URLs take every path of ``resolve_relative_url`` (and some that the sanitizer
#: rewrites or drops), for the check that one render serves every prefix.
URL_BODIES = (
    "[a](foto.jpg) ![b](../x/y.png) [c](/kantor/) [d](#x) [e](?q=1) [f](//luar.test/p)",
    "[m](mailto:humas@x.go.id) [h](https://x.test/a?b=1&c=2) [r](2024-05-01-slug.md#isi)",
    '[naik](../../../../etc/passwd) [titik](./) [dua](..) [kosong]() <a href="">x</a>',
    '<a href="foto.jpg" title="t">x</a> <img src="g.png" alt="a"> <q cite="c.html">q</q>',
    "[l](a&amp;b.html) [l2](a%20b.html) [sp](<a b.html>) [u](ümlaut.html) [n](a&nbsp;b.html)",
    '<a href="javascript:alert(1)">j</a> <img src="data:x" alt="d"> <span href="x.html">s</span>',
    "| a | b |\n|:--|--:|\n| [x](x.md) | ![y](y.png) |\n\n```\n[kode](k.md)\n```\n",
)
PREFIXES = ("../../../", "", "https://portal.test/", "https://x.test/?a=1&b=", 'q"x/', "a\u00a0b/")


@pytest.mark.parametrize("body", URL_BODIES)
@pytest.mark.parametrize("source_dir", ["kota-bandung/2024", ""])
def test_one_render_serves_every_prefix_byte_for_byte(body: str, source_dir: str) -> None:
    for prefix in PREFIXES:
        direct = markup._render_with_prefix(body, source_dir, prefix)
        assert render_body(body, source_dir=source_dir, url_prefix=prefix) == direct, prefix


def test_page_and_feed_convert_the_body_once(monkeypatch: pytest.MonkeyPatch) -> None:
    conversions: list[str] = []
    real_convert = markup._convert

    def counting_convert(text: str) -> str:
        conversions.append(text)
        return real_convert(text)

    monkeypatch.setattr(markup, "_convert", counting_convert)
    body = "Satu kali saja: [lampiran](lampiran.pdf) ![peta](peta.png) [lain](2024-01-02-a.md)"
    page = render(body)
    feed = render(body, **FEED)
    assert conversions == [body]
    assert 'href="../../../kota-bandung/2024/lampiran.pdf"' in page
    assert 'href="https://portal.test/kota-bandung/2024/2024-01-02-a/"' in feed
    assert URL_PREFIX_SENTINEL not in page + feed


def test_a_body_containing_the_sentinel_is_rendered_with_the_prefix() -> None:
    body = f"Teks {URL_PREFIX_SENTINEL} biasa dan [tautan]({URL_PREFIX_SENTINEL}x.html)"
    assert markup._render_with_sentinel(body, "kota-bandung/2024") is None
    page = render(body)
    assert page == markup._render_with_prefix(body, "kota-bandung/2024", "../../../")
    assert f"Teks {URL_PREFIX_SENTINEL} biasa" in page  # the writer's text is left alone
    assert hrefs(page) == [f"../../../kota-bandung/2024/{URL_PREFIX_SENTINEL}x.html"]


def test_a_prefix_the_serializer_escapes_is_rendered_with_the_prefix() -> None:
    page = render("[a](b.html)", source_dir="x", url_prefix="https://x.test/?p=1&q=")
    assert 'href="https://x.test/?p=1&amp;q=x/b.html"' in page


def test_references_are_found_with_positions() -> None:
    body = 'a\n\n![Alt](foto.png) [x](<b c.md>)\n\n[ref]: https://a.id\n\n<img src="y.jpg">\n'
    refs = [(r.url, r.line, r.col, r.is_image, r.alt) for r in find_references(body, 5)]
    assert refs == [
        ("foto.png", 7, 8, True, "Alt"),
        ("b c.md", 7, 23, False, "x"),
        ("https://a.id", 9, 8, False, None),
        ("y.jpg", 11, 11, True, None),
    ]


def test_image_without_alt_text_is_a_warning() -> None:
    (problem,) = inspect_body("![](foto.png)\n", "content/a.md", 1)
    assert problem.code == "MD005" and problem.severity.value == "warning"


def test_url_scheme_sees_through_obfuscation() -> None:
    assert url_scheme("&#106;&#97;vascript:x") == "javascript"
    assert url_scheme("java\tscript:x") == "javascript"
    assert url_scheme("//evil.example/x") == "https"
    assert url_scheme("foto.png") is None
    assert url_scheme("a/b:c") is None


@pytest.mark.parametrize(
    "body",
    [
        "[" * 5000,
        "[a " * 2000,
        ("[" * (MAX_BRACKET_DEPTH + 1)) + "a" + "](x)" * (MAX_BRACKET_DEPTH + 1),
        "> " * 50 + "a",
        "".join("    " * i + "- a\n" for i in range(300)),
    ],
)
def test_pathological_nesting_is_rejected_quickly(body: str) -> None:
    started = time.process_time()
    problems = inspect_body(body, "content/a.md", 1)
    assert [p.code for p in problems][:1] == ["MD004"]
    assert time.process_time() - started < 0.5


def test_what_the_budget_accepts_renders_fast() -> None:
    # The worst bodies that still pass: paragraphs with the deepest allowed run of unclosed
    # '[' followed by text, nested links at the depth limit, and '[' closed far away.
    depth = MAX_BRACKET_DEPTH
    paragraph = "[a " * depth + "teks " * 200
    per_paragraph = sum(len(paragraph) - 3 * i for i in range(depth))
    unclosed = (paragraph + "\n\n") * (MAX_BRACKET_SCAN // per_paragraph)
    nested = (("[" * depth + "a" + "](x)" * depth + " ") * 40 + "\n\n") * 6
    far = ("[" + "kata " * 1000 + "](x)\n\n") * (MAX_BRACKET_SCAN // 5010)
    for body in (unclosed, nested, far):
        assert inspect_body(body, "content/a.md", 1) == []
        started = time.process_time()
        render_body(body, source_dir="a/2024", url_prefix="")
        assert time.process_time() - started < 2.0
    assert [p.code for p in inspect_body(unclosed * 2, "content/a.md", 1)] == ["MD004"]


def test_unusual_link_forms_are_caught_by_rendering_once() -> None:
    # The source scan does not read these as links; Python-Markdown does. The rendered
    # second opinion reports them where the URL starts.
    for body in ("[a](javascript:alert(1)<a href=)>", "[a](javascript:alert(1) x)"):
        assert not any(url_scheme(r.url) == "javascript" for r in find_references(body))
        problems = inspect_body(body, "content/a.md", 7)
        assert [(p.code, p.line, p.col) for p in problems] == [("MD001", 7, 5)], body
        assert hrefs(render(body)) in ([None], [])
