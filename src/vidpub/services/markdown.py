"""User-written markdown (comments, descriptions, support texts) to HTML that is safe to embed.

Two steps, as PeerTube does: a restricted markdown renderer, then an HTML sanitiser that has the
last word whatever the renderer let through.

- Markdown: the small rule set PeerTube renders for comments and descriptions — paragraphs, line
  breaks, emphasis, links and bare URLs made links, lists, entities — plus inline and block HTML,
  which the sanitiser then trims. Headings, quotes, code and images stay plain text.
- Sanitiser (Ammonia through nh3): only PeerTube's default tags survive (`a p span br strong em ul
  ol li`), links keep `href` (http/https or relative) and `class`, and every link opens in a new
  browsing context with `rel="noopener noreferrer"`. `<script>`/`<style>` disappear with their
  content; event handlers, `style`, `javascript:`/`data:`/`vbscript:` URLs never survive.
"""

from __future__ import annotations

import functools
import html
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"a", "p", "span", "br", "strong", "em", "ul", "ol", "li"})
ALLOWED_ATTRIBUTES = {"a": {"href", "class", "target"}, "span": {"class"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https"})
LINK_REL = "noopener noreferrer"
# markdown-it rule names of PeerTube's text rendering (plus raw HTML, sanitised afterwards)
MARKDOWN_RULES = ["linkify", "autolink", "emphasis", "link", "newline", "entity", "list",
                  "html_inline", "html_block"]
# Rendering cost is dominated by URL detection (~1 ms for a text full of links): the same texts
# are read far more often than written, so remember the latest ones.
CACHE_SIZE = 2048

_BLOCK_ENDS = re.compile(r"<br\s*/?>|</p>|</li>|</ul>|</ol>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")

_markdown = MarkdownIt("zero", {"html": True, "linkify": True, "breaks": True}).enable(MARKDOWN_RULES)


def sanitize_html(fragment: str) -> str:
    """Any HTML (e.g. a remote instance's comment) reduced to the allowed tags and attributes."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )


@functools.lru_cache(maxsize=CACHE_SIZE)
def render_markdown(text: str | None) -> str:
    """Safe HTML of a user's markdown (or HTML) text; '' for nothing."""
    if not text:
        return ""
    return sanitize_html(_markdown.render(text)).strip()


def markdown_to_plain_text(text: str | None, max_length: int | None = None) -> str:
    """One line of plain text (for meta descriptions, titles, notifications): the rendered text
    without any markup, entities decoded — so the caller escapes it for its own context (HTML
    templates do; feed and e-mail libraries do). Cut at `max_length` characters with an ellipsis."""
    if not text:
        return ""
    rendered = _BLOCK_ENDS.sub(" ", render_markdown(text))
    plain = html.unescape(nh3.clean(rendered, tags=set(), clean_content_tags={"script", "style"}))
    plain = _SPACES.sub(" ", plain).strip()
    if max_length is not None and len(plain) > max_length:
        plain = plain[:max(max_length - 3, 0)].rstrip() + "..."
    return plain
