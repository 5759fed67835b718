"""The search API: full-text matching of videos (names, tags, descriptions; every word, accents and
case aside, the last word also as a prefix), relevance order, the list filters, handles and URLs
naming objects, channels and playlists, privacy and mutes; the index follows edits and deletions.

The shared server holds other tests' videos: every search here holds a word only this module's
videos carry (a random suffix).

On PostgreSQL (with pg_trgm), words that match nothing get a second chance by name similarity, as
PeerTube's trigram matching gives: there, a search matching no word may still find similar names.
"""

from __future__ import annotations

import uuid

import pytest

from tests.support.playlists import PRIVATE, create_playlist
from tests.support.published_videos import published_video

SEARCH = "/api/v1/search/videos"
CHANNELS = "/api/v1/search/video-channels"
PLAYLISTS = "/api/v1/search/video-playlists"


class Corpus:
    def __init__(self, server):
        self.server = server
        self.s = uuid.uuid4().hex[:6]
        self.owner_name = f"srch{self.s}"
        self.owner = server.create_user(self.owner_name)
        self.refs: dict[str, dict] = {}

    def word(self, stem: str) -> str:
        return f"{stem}{self.s}"

    def upload(self) -> None:
        w = self.word
        self.refs["name"] = published_video(self.owner, duration=2, name=f"Forêt enchantée {w('nimbus')}",
                                            tags=[w("tagone")], description="Nothing to see here")
        self.refs["description"] = published_video(
            self.owner, duration=5, name=f"Something else {self.s}",
            description=f"The {w('nimbus')} appears in the description, with {w('cirrus')}")
        self.refs["tags"] = published_video(self.owner, duration=3, name=f"Third one {self.s}",
                                            tags=[w("nimbus"), w("cirrus")])
        self.refs["private"] = published_video(self.owner, duration=2, name=f"{w('nimbus')} secret", privacy=3)

    def keys(self, client, path: str = SEARCH, **params) -> list[str]:
        body = self.page(client, path, **params)
        names = {ref["uuid"]: key for key, ref in self.refs.items()}
        return [names.get(item["uuid"], item["uuid"]) for item in body["data"]]

    def page(self, client, path: str = SEARCH, **params) -> dict:
        response = client.get(path, params={"count": 100, **params})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def corpus(server):
    corpus = Corpus(server)
    corpus.upload()
    return corpus


def similar_names_only(backend: str, found: list[str]) -> bool:
    """No exact match: nothing on SQLite; on PostgreSQL at most the video whose name is alike."""
    return found == [] if backend == "sqlite" else set(found) <= {"name"}


def test_every_word_must_match_in_name_tags_or_description(server, corpus, backend):
    w, anonymous = corpus.word, server.anonymous
    assert sorted(corpus.keys(anonymous, search=f"{w('nimbus')} {w('cirrus')}")) == ["description", "tags"]
    assert corpus.keys(anonymous, search=f"appears {w('nimbus')}") == ["description"]       # description
    assert corpus.keys(anonymous, search=w("tagone")) == ["name"]                          # a tag
    assert similar_names_only(backend, corpus.keys(anonymous, search=f"{w('nimbus')} missing{corpus.s}"))


def test_accents_and_case_do_not_matter(server, corpus):
    w, anonymous = corpus.word, server.anonymous
    assert corpus.keys(anonymous, search=f"foret enchantee {w('nimbus')}") == ["name"]
    assert corpus.keys(anonymous, search=f"FORÊT {w('NIMBUS')}") == ["name"]
    assert corpus.keys(anonymous, search=f"Enchantée, {w('nimbus')}!") == ["name"]  # punctuation separates words


def test_last_word_matches_as_a_prefix(server, corpus, backend):
    w, anonymous = corpus.word, server.anonymous
    assert corpus.keys(anonymous, search=f"enchantee {w('nimbus')[:-2]}") == ["name"]
    # only the last word: an unfinished first word matches nothing
    assert similar_names_only(backend, corpus.keys(anonymous, search=f"{w('nimbus')[:-2]} enchantee"))


def test_typos_in_names_get_a_second_chance_on_postgresql(server, corpus, backend):
    typo = f"forest enchanted {corpus.word('nimbus')}"
    assert corpus.keys(server.anonymous, search=typo) == ([] if backend == "sqlite" else ["name"])


def test_relevance_orders_by_default_name_first(server, corpus):
    found = corpus.page(server.anonymous, search=corpus.word("nimbus"))
    keys = corpus.keys(server.anonymous, search=corpus.word("nimbus"))
    assert found["total"] == 3 and keys[0] == "name" and sorted(keys) == ["description", "name", "tags"]
    assert corpus.keys(server.anonymous, search=corpus.word("nimbus"), sort="-match")[0] == "name"


def test_private_videos_are_not_found(server, corpus):
    w = corpus.word
    assert "private" not in corpus.keys(server.anonymous, search=f"secret {w('nimbus')}")
    assert "private" not in corpus.keys(corpus.owner, search=f"secret {w('nimbus')}")  # as in every list
    moderator_view = corpus.page(server.root, search=f"secret {w('nimbus')}", privacyOneOf=3)
    assert [item["uuid"] for item in moderator_view["data"]] == [corpus.refs["private"]["uuid"]]


def test_list_filters_sorts_and_pages_apply(server, corpus):
    anonymous, nimbus = server.anonymous, corpus.word("nimbus")
    assert sorted(corpus.keys(anonymous, search=nimbus, durationMin=3)) == ["description", "tags"]
    assert corpus.keys(anonymous, search=nimbus, durationMax=2) == ["name"]
    assert corpus.keys(anonymous, search=nimbus, sort="-duration") == ["description", "tags", "name"]
    assert corpus.keys(anonymous, search=nimbus, sort="-publishedAt") == ["tags", "description", "name"]
    assert corpus.keys(anonymous, search=nimbus, tagsOneOf=corpus.word("cirrus")) == ["tags"]
    page = corpus.page(anonymous, search=nimbus, sort="-publishedAt", start=1, count=1)
    assert page["total"] == 3 and [item["uuid"] for item in page["data"]] == [corpus.refs["description"]["uuid"]]
    assert "total" not in corpus.page(anonymous, search=nimbus, skipCount="true")
    assert corpus.keys(anonymous, search=nimbus, startDate="2000-01-01T00:00:00Z", endDate="2001-01-01") == []
    assert len(corpus.keys(anonymous, search=nimbus, startDate="2000-01-01T00:00:00.000Z")) == 3
    assert corpus.keys(anonymous, search=nimbus, originallyPublishedStartDate="2000-01-01T00:00:00Z") == []


def test_uuids_and_urls_name_the_video(server, corpus):
    ref, anonymous = corpus.refs["tags"], server.anonymous
    for text in (ref["uuid"], ref["shortUUID"], f"{server.url}/w/{ref['shortUUID']}",
                 f"{server.url}/videos/watch/{ref['uuid']}", f"{server.url}/videos/embed/{ref['uuid']}"):
        assert corpus.keys(anonymous, search=text) == ["tags"], text
    assert corpus.page(anonymous, search=f"{server.url}/w/{corpus.refs['private']['shortUUID']}")["total"] == 0
    assert corpus.page(anonymous, search="https://elsewhere.example/videos/watch/x")["total"] == 0
    # a channel's page is no video
    assert corpus.page(anonymous, search=f"{server.url}/c/{corpus.owner_name}_channel")["total"] == 0


def test_the_index_follows_edits_and_deletions(server, corpus):
    owner, w = corpus.owner, corpus.word
    video = published_video(owner, duration=2, name=f"Before {w('renamed')}", tags=[w("oldtag")])
    assert corpus.page(server.anonymous, search=w("renamed"))["total"] == 1
    response = owner.put(f"/api/v1/videos/{video['uuid']}",
                         json={"name": f"After {w('fresh')}", "tags": [w("newtag")], "description": w("prose")})
    assert response.status_code == 204, response.text
    for gone in (w("renamed"), w("oldtag")):
        assert corpus.page(server.anonymous, search=gone)["total"] == 0, gone
    for found in (w("fresh"), w("newtag"), w("prose")):
        assert corpus.page(server.anonymous, search=found)["total"] == 1, found
    assert owner.delete(f"/api/v1/videos/{video['uuid']}").status_code == 204
    assert corpus.page(server.anonymous, search=w("fresh"))["total"] == 0


def test_muted_accounts_are_left_out(server, corpus, unique):
    viewer = server.create_user(f"mute{unique}")
    nimbus = corpus.word("nimbus")
    response = viewer.post("/api/v1/users/me/blocklist/accounts", json={"accountName": corpus.owner_name})
    assert response.status_code == 204, response.text
    assert corpus.page(viewer, search=nimbus)["total"] == 0
    assert corpus.page(viewer, CHANNELS, search=f"{corpus.owner_name}_channel@{server.url.split('//')[1]}")["total"] == 0
    assert corpus.page(server.anonymous, search=nimbus)["total"] == 3


# -- channels -----------------------------------------------------------------------------------------

def test_channels_by_words_handles_and_urls(server, corpus, unique):
    owner, host = corpus.owner, server.url.split("//")[1]
    name = f"chan{unique}"
    response = owner.post("/api/v1/video-channels", json={"name": name, "displayName": f"Éclairs {corpus.word('nimbus')}",
                                                          "description": f"Storms {corpus.word('thunder')}"})
    assert response.status_code == 200, response.text

    def names(**params) -> list[str]:
        return [item["name"] for item in corpus.page(server.anonymous, CHANNELS, **params)["data"]]

    assert names(search=f"eclairs {corpus.word('nimbus')}") == [name]            # display name, accents aside
    assert names(search=corpus.word("thunder")) == [name]                        # description
    assert names(search=name) == [name]                                          # the name
    for handle in (f"{name}@{host}", f"@{name}@{host}", f"@{name}", f"{server.url}/video-channels/{name}",
                   f"{server.url}/c/{name}/videos"):
        assert names(search=handle) == [name], handle
    # an account's handle or URL: its channels
    expected = sorted([name, f"{corpus.owner_name}_channel"])
    assert sorted(names(search=f"{corpus.owner_name}@{host}")) == expected
    assert sorted(names(search=f"{server.url}/a/{corpus.owner_name}")) == expected
    assert names(search=f"nobody{unique}@{host}") == []
    assert names(search="someone@elsewhere.example") == []
    # filters
    assert names(search=corpus.word("nimbus"), host=host) == [name]
    assert names(search=corpus.word("nimbus"), host="elsewhere.example") == []
    assert names(handles=f"{name}@{host}") == [name]
    channel = corpus.page(server.anonymous, CHANNELS, search=name)["data"][0]
    assert channel["displayName"] == f"Éclairs {corpus.word('nimbus')}" and channel["ownerAccount"]["name"] == corpus.owner_name


def test_channel_relevance_and_sorts(server, corpus, unique):
    owner, word = corpus.owner, f"zeph{unique}"
    for suffix, display, description in (("a", f"Other {unique}", f"{word} in the description"),
                                         ("b", f"{word} in the name", "nothing")):
        response = owner.post("/api/v1/video-channels", json={"name": f"rel{unique}{suffix}", "displayName": display,
                                                              "description": description})
        assert response.status_code == 200, response.text
    by_match = [item["name"] for item in corpus.page(server.anonymous, CHANNELS, search=word)["data"]]
    assert by_match == [f"rel{unique}b", f"rel{unique}a"]
    by_date = [item["name"] for item in corpus.page(server.anonymous, CHANNELS, search=word, sort="createdAt")["data"]]
    assert by_date == [f"rel{unique}a", f"rel{unique}b"]


# -- playlists ----------------------------------------------------------------------------------------

def test_playlists_by_words_and_urls(server, corpus, unique):
    owner, word = corpus.owner, f"evasion{unique}"
    public = create_playlist(owner, displayName=f"Évasion {word}", description=f"Trips {word}x")
    private = create_playlist(owner, PRIVATE, displayName=f"Hidden {word}")

    def uuids(**params) -> list[str]:
        return [item["uuid"] for item in corpus.page(server.anonymous, PLAYLISTS, **params)["data"]]

    assert uuids(search=f"EVASION {word}") == [public["uuid"]]
    assert uuids(search=f"trips {word}x") == [public["uuid"]]           # description
    assert private["uuid"] not in uuids(search=f"hidden {word}")
    for text in (f"{server.url}/w/p/{public['shortUUID']}", f"{server.url}/video-playlists/{public['uuid']}",
                 f"{server.url}/videos/watch/playlist/{public['uuid']}"):
        assert uuids(search=text) == [public["uuid"]], text
    assert uuids(search=word, uuids=public["uuid"]) == [public["uuid"]]
    assert uuids(search=word, host="elsewhere.example") == []
    # "Watch later" playlists are never found
    assert uuids(search=f"watch later {corpus.owner_name}") == []
