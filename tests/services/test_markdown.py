"""User markdown to safe HTML: the renderer's rules, and nothing that runs or loads survives."""

from __future__ import annotations

import pytest

from tests.support.html_safety import unsafe_markup
from vidpub.services.markdown import markdown_to_plain_text, render_markdown, sanitize_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)"><circle/></svg>',
    '<body onload="alert(1)">',
    '<a href="javascript:alert(1)">js</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="jav&#x09;ascript:alert(1)">entity tab</a>',
    '<a href=" javascript:alert(1)">leading space</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "[markdown js](javascript:alert(1))",
    "[markdown data](data:text/html,<script>alert(1)</script>)",
    "![image](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<p onclick="alert(1)" onmouseover="alert(2)">handlers</p>',
    '<span style="background:url(javascript:alert(1))">style</span>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="x">',
    "<style>body{display:none}</style>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<form action="https://evil.example"><input name="password"></form>',
    '<a href="https://ok.example" onclick="alert(1)">mixed</a>',
    '<base href="https://evil.example/"><link rel="stylesheet" href="x"><meta http-equiv="refresh" content="0">',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_that_runs_or_loads_survives(payload):
    for text in (payload, f"Some *text*\n\n{payload}\n\nafter", f"- item {payload}", f"**{payload}**"):
        rendered = render_markdown(text)
        assert unsafe_markup(rendered) == [], rendered
        assert unsafe_markup(sanitize_html(text)) == []


def test_the_checker_sees_unsafe_markup():
    assert unsafe_markup('<img src=x onerror="alert(1)">') == ["tag <img>", "attribute src on <img>",
                                                               "attribute onerror on <img>"]
    assert unsafe_markup('<a href="javascript:alert(1)">x</a>') == ["href scheme 'javascript'"]
    assert unsafe_markup("<p>&lt;img src=x onerror=alert(1)&gt;</p>") == []


def test_script_and_style_contents_are_dropped():
    assert "alert" not in render_markdown("<script>alert(1)</script>fine")
    assert "display" not in render_markdown("<style>body{display:none}</style>fine")
    assert render_markdown("<script>alert(1)</script>fine").endswith("fine")


def test_links_open_safely():
    html = render_markdown("see [the docs](https://docs.example/page) or http://bare.example/x?a=1&b=2")
    assert '<a href="https://docs.example/page" target="_blank" rel="noopener noreferrer">the docs</a>' in html
    assert 'href="http://bare.example/x?a=1&amp;b=2"' in html
    # a link of raw HTML gets the same treatment; its own rel/target are replaced
    html = render_markdown('<a href="https://x.example" rel="opener" target="_self">x</a>')
    assert html.count("rel=") == 1 and 'rel="noopener noreferrer"' in html
    assert html.count("target=") == 1 and 'target="_blank"' in html
    # a relative link stays (the instance's own pages)
    assert 'href="/videos/watch/abc"' in render_markdown("[watch](/videos/watch/abc)")
    # an unsafe scheme loses its href, never its text
    html = render_markdown('<a href="javascript:alert(1)">label</a>')
    assert "label" in html and "href" not in html


def test_the_markdown_rules_of_comments():
    assert render_markdown("*em* and **strong**") == "<p><em>em</em> and <strong>strong</strong></p>"
    assert render_markdown("line one\nline two") == "<p>line one<br>\nline two</p>"
    assert render_markdown("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    assert render_markdown("1. a\n2. b") == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"
    # headings, quotes, code and images are not part of it: they stay text
    assert render_markdown("# title") == "<p># title</p>"
    assert render_markdown("> quoted") == "<p>&gt; quoted</p>"
    assert "<img" not in render_markdown("![alt](https://img.example/a.png)")
    # tags outside the allowed set are removed, their text kept
    assert render_markdown("<h1>big</h1> <b>bold</b> <em>kept</em>") == "big bold <em>kept</em>"
    assert render_markdown("a < b & c") == "<p>a &lt; b &amp; c</p>"
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_plain_text():
    assert markdown_to_plain_text("*Hello* [world](https://w.example)\n\nsecond <script>x()</script>") \
        == "Hello world second"
    assert markdown_to_plain_text("a &amp; b < c") == "a & b < c"
    assert markdown_to_plain_text("word " * 100, max_length=20) == "word word word wo..."
    assert markdown_to_plain_text(None) == ""
