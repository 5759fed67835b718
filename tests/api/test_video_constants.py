"""The constant maps every upload form reads."""

from __future__ import annotations


def test_categories_licences_privacies(server):
    client = server.anonymous
    categories = client.get("/api/v1/videos/categories").json()
    assert categories["1"] == "Music" and categories["15"] == "Science & Technology" and len(categories) == 18
    licences = client.get("/api/v1/videos/licences").json()
    assert licences["7"] == "Public Domain Dedication" and len(licences) == 7
    privacies = client.get("/api/v1/videos/privacies").json()
    assert privacies == {"1": "Public", "2": "Unlisted", "3": "Private", "4": "Internal", "5": "Password protected"}
    assert client.get("/api/v1/video-playlists/privacies").json() == {"1": "Public", "2": "Unlisted", "3": "Private"}


def test_languages_include_iso639_1_and_sign_languages(server):
    languages = server.anonymous.get("/api/v1/videos/languages").json()
    assert languages["en"] == "English" and languages["fr"] == "French"
    assert languages["oc"] == "Occitan" and languages["zh-Hans"] == "Simplified Chinese"
    assert "ase" in languages and "zxx" in languages and "tok" in languages
    assert all(isinstance(label, str) and label for label in languages.values())
