"""Whether an HTML fragment that we render is inert: parsed as a browser would read its tags, not
matched as text, so that escaped payload words left as text do not count."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

SAFE_TAGS = frozenset({"a", "p", "span", "br", "strong", "em", "ul", "ol", "li"})
SAFE_ATTRIBUTES = {"a": {"href", "class", "target", "rel"}, "span": {"class"}}
SAFE_SCHEMES = frozenset({"", "http", "https"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES.get(tag, set()):
                self.problems.append(f"attribute {name} on <{tag}>")
            elif name == "href":
                scheme = urlsplit((value or "").strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"href scheme {scheme!r}")
            elif name == "rel" and set((value or "").split()) != {"noopener", "noreferrer"}:
                self.problems.append(f"rel {value!r}")

    handle_startendtag = handle_starttag


def unsafe_markup(fragment: str) -> list[str]:
    """What in `fragment` could run or load something (empty when inert)."""
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector.problems
