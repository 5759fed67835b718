"""PeerTube's video constants: categories, licences, languages and privacies (ids are part of the
protocol: remote instances send them)."""

from __future__ import annotations

import functools

import pycountry

VIDEO_CATEGORIES = {
    1: "Music", 2: "Films", 3: "Vehicles", 4: "Art", 5: "Sports", 6: "Travels", 7: "Gaming", 8: "People",
    9: "Comedy", 10: "Entertainment", 11: "News & Politics", 12: "How To", 13: "Education", 14: "Activism",
    15: "Science & Technology", 16: "Animals", 17: "Kids", 18: "Food",
}

VIDEO_LICENCES = {
    1: "Attribution", 2: "Attribution - Share Alike", 3: "Attribution - No Derivatives",
    4: "Attribution - Non Commercial", 5: "Attribution - Non Commercial - Share Alike",
    6: "Attribution - Non Commercial - No Derivatives", 7: "Public Domain Dedication",
}

VIDEO_PRIVACIES = {1: "Public", 2: "Unlisted", 3: "Private", 4: "Internal", 5: "Password protected"}

VIDEO_PLAYLIST_PRIVACIES = {1: "Public", 2: "Unlisted", 3: "Private"}

# ISO 639-3 codes PeerTube offers besides the living languages that have an ISO 639-1 code:
# sign languages, constructed languages and "no linguistic content".
_EXTRA_LANGUAGES = (
    "sgn", "ase", "asq", "asf", "bfi", "bzs", "csl", "cse", "dsl", "fsl", "gsg", "pks", "jsl", "sfb",
    "sfs", "swl", "rsl", "epo", "tlh", "jbo", "avk", "zxx",
)

_LABEL_OVERRIDES = {
    "sgn": "Sign Languages",
    "oc": "Occitan", "el": "Greek", "tok": "Toki Pona", "zh-Hans": "Simplified Chinese",
    "zh-Hant": "Traditional Chinese", "ca-valencia": "Valencian",
}


@functools.lru_cache(maxsize=1)
def video_languages() -> dict[str, str]:
    languages: dict[str, str] = {}
    for language in pycountry.languages:
        alpha2 = getattr(language, "alpha_2", None)
        if alpha2 and getattr(language, "type", None) == "L":
            languages[alpha2] = language.name
    for code in _EXTRA_LANGUAGES:
        language = pycountry.languages.get(alpha_3=code)
        if language is not None:
            languages[code] = language.name
    languages.update(_LABEL_OVERRIDES)
    return dict(sorted(languages.items()))
