"""The video lists: every filter and sort of `GET /videos`, the channel's and the account's lists and
`GET /users/me/videos`, on a small set of uploaded videos.

The shared server holds other tests' videos too: every query here is narrowed to this module's
videos by a tag only they carry (`tagsAllOf=<mark>`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.database import database_url, run_sql
from tests.support.published_videos import published_video, video_json

# name: (fields, clip duration)
VIDEOS = {
    "A": ({"category": 1, "licence": 1, "language": "fr", "originallyPublishedAt": "2010-01-01T00:00:00.000Z"}, 2),
    "B": ({"category": 2, "licence": 2, "language": "en", "nsfw": True, "nsfwFlags": 1}, 5),
    "C": ({"originallyPublishedAt": "2005-01-01T00:00:00.000Z"}, 3),
    "D": ({"privacy": 4}, 4),   # internal
    "E": ({"privacy": 2}, 2),   # unlisted: never in a list
}


class Catalogue:
    def __init__(self, server, suffix: str):
        self.server = server
        self.suffix = suffix
        self.mark = f"mark{suffix}"
        self.alpha, self.beta = f"alpha{suffix}", f"beta{suffix}"
        self.owner_name = f"lists{suffix}"
        self.owner = server.create_user(self.owner_name)
        self.refs: dict[str, dict] = {}
        self.names: dict[str, str] = {}

    def upload(self) -> None:
        tags = {"A": [self.alpha], "B": [self.beta], "C": [self.alpha, self.beta]}
        for key, (fields, duration) in VIDEOS.items():
            name = f"{key} video {self.suffix}"
            description = f"the word zebra{self.suffix} is in here" if key == "C" else None
            self.refs[key] = published_video(self.owner, duration=duration, name=name, description=description,
                                             tags=[self.mark, *tags.get(key, [])], **fields)
            self.names[self.refs[key]["uuid"]] = key

    def keys(self, client, **params) -> list[str]:
        body = self.page(client, **params)
        return [self.names[item["uuid"]] for item in body["data"]]

    def page(self, client, path: str = "/api/v1/videos", **params) -> dict:
        params.setdefault("tagsAllOf", self.mark)
        params.setdefault("count", 100)
        response = client.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def view(self, client, key: str, session_id: str) -> None:
        """Watch the whole video as one viewer: a view counts (short videos: half of them is enough)."""
        ref, duration = self.refs[key], VIDEOS[key][1]
        for current_time in (0, duration):
            response = client.post(f"/api/v1/videos/{ref['uuid']}/views",
                                   json={"currentTime": current_time, "sessionId": session_id})
            assert response.status_code == 204, response.text


@pytest.fixture(scope="module")
def catalogue(server):
    catalogue = Catalogue(server, uuid.uuid4().hex[:6])
    catalogue.upload()
    root, anonymous = server.root, server.anonymous
    # views: A once, C twice (root watches both, so they are in root's history)
    catalogue.view(root, "A", f"a1-{catalogue.suffix}")
    catalogue.view(root, "C", f"c1-{catalogue.suffix}")
    catalogue.view(anonymous, "C", f"c2-{catalogue.suffix}")
    # likes: B twice, A once
    for client, key in ((root, "B"), (catalogue.owner, "B"), (root, "A")):
        assert client.put(f"/api/v1/videos/{catalogue.refs[key]['uuid']}/rate",
                          json={"rating": "like"}).status_code == 204
    return catalogue


def test_visibility_of_the_public_list(server, catalogue):
    # anonymous: public and not NSFW (the instance's default policy is do_not_list)
    assert sorted(catalogue.keys(server.anonymous)) == ["A", "C"]
    # logged-in users also see internal videos; NSFW follows the user's policy
    viewer = server.create_user(f"viewer{catalogue.suffix}")
    assert sorted(catalogue.keys(viewer)) == ["A", "C", "D"]
    assert sorted(catalogue.keys(viewer, nsfw="both")) == ["A", "B", "C", "D"]
    # moderators widen the list with privacyOneOf and include
    assert catalogue.keys(server.root, privacyOneOf=2) == ["E"]
    assert sorted(catalogue.keys(server.root, privacyOneOf=[1, 2, 4], nsfw="both")) == ["A", "B", "C", "D", "E"]


def test_nsfw_filters_and_user_policies(server, catalogue):
    root = server.root
    assert catalogue.keys(root, nsfw="true") == ["B"]
    assert sorted(catalogue.keys(root, nsfw="false")) == ["A", "C", "D"]
    assert "B" in catalogue.keys(root, nsfw="both")
    assert catalogue.keys(root, nsfw="both", nsfwFlagsExcluded=1, tagsOneOf=catalogue.beta) == ["C"]

    suffix = catalogue.suffix
    shows = server.create_user(f"nsfwshow{suffix}")
    assert shows.put("/api/v1/users/me", json={"nsfwPolicy": "display"}).status_code == 204
    assert "B" in catalogue.keys(shows)
    hides_violence = server.create_user(f"nsfwflag{suffix}")
    assert hides_violence.put("/api/v1/users/me", json={"nsfwPolicy": "display",
                                                         "nsfwFlagsHidden": 1}).status_code == 204
    assert "B" not in catalogue.keys(hides_violence)
    hides_all_but_violence = server.create_user(f"nsfwdisp{suffix}")
    assert hides_all_but_violence.put("/api/v1/users/me", json={"nsfwPolicy": "do_not_list",
                                                                "nsfwFlagsDisplayed": 1}).status_code == 204
    assert "B" in catalogue.keys(hides_all_but_violence)


def test_constant_filters(server, catalogue):
    root = server.root
    both = {"nsfw": "both"}
    assert catalogue.keys(root, categoryOneOf=1, **both) == ["A"]
    assert sorted(catalogue.keys(root, categoryOneOf=[1, 2], **both)) == ["A", "B"]
    assert catalogue.keys(root, **{"categoryOneOf[]": 2}, **both) == ["B"]
    assert catalogue.keys(root, licenceOneOf=2, **both) == ["B"]
    assert catalogue.keys(root, languageOneOf="fr", **both) == ["A"]
    assert sorted(catalogue.keys(root, languageOneOf="_unknown", **both)) == ["C", "D"]
    assert sorted(catalogue.keys(root, languageOneOf=["fr", "_unknown"], **both)) == ["A", "C", "D"]


def test_tag_filters(server, catalogue):
    root = server.root
    both = {"nsfw": "both"}
    assert sorted(catalogue.keys(root, tagsOneOf=catalogue.alpha, **both)) == ["A", "C"]
    assert sorted(catalogue.keys(root, tagsOneOf=[catalogue.alpha, catalogue.beta], **both)) == ["A", "B", "C"]
    assert catalogue.keys(root, tagsAllOf=[catalogue.mark, catalogue.alpha, catalogue.beta], **both) == ["C"]
    assert catalogue.keys(root, tagsAllOf=[catalogue.alpha.upper(), catalogue.beta], **both) == ["C"]


def test_file_origin_and_state_filters(server, catalogue):
    root = server.root
    everything = ["A", "B", "C", "D"]
    both = {"nsfw": "both"}
    assert sorted(catalogue.keys(root, isLocal="true", **both)) == everything
    assert catalogue.keys(root, isLocal="false", **both) == []
    assert sorted(catalogue.keys(root, isLive="false", **both)) == everything
    assert catalogue.keys(root, isLive="true", **both) == []
    assert sorted(catalogue.keys(root, hasHLSFiles="true", **both)) == everything
    assert catalogue.keys(root, hasHLSFiles="false", **both) == []
    # web videos are disabled by default: the uploaded file went away once HLS was ready
    assert catalogue.keys(root, hasWebVideoFiles="true", **both) == []
    assert sorted(catalogue.keys(root, host=f"127.0.0.1:{server.port}", **both)) == everything
    assert catalogue.keys(root, host="elsewhere.example.org", **both) == []
    assert sorted(catalogue.keys(root, include=1, **both)) == everything  # not-published states too
    assert sorted(catalogue.keys(root, include=1, stateOneOf=1, **both)) == everything
    assert catalogue.keys(root, include=1, stateOneOf=[2, 7], **both) == []


def test_search(server, catalogue):
    root = server.root
    suffix = catalogue.suffix
    assert catalogue.keys(root, search=f"c VIDEO {suffix}") == ["C"]          # name, any case
    assert catalogue.keys(root, search=f"zebra{suffix}") == ["C"]             # description
    assert sorted(catalogue.keys(root, search=catalogue.alpha)) == ["A", "C"]  # a tag
    assert catalogue.keys(root, search=catalogue.refs["A"]["uuid"]) == ["A"]
    assert catalogue.keys(root, search=catalogue.refs["A"]["shortUUID"]) == ["A"]
    assert catalogue.keys(root, search="100%_sure") == []                   # LIKE wildcards are literal
    both = [catalogue.refs["A"]["uuid"], catalogue.refs["C"]["uuid"]]
    assert sorted(catalogue.keys(root, uuids=both)) == ["A", "C"]


def test_sorts(server, catalogue):
    root = server.root
    both = {"nsfw": "both"}
    assert catalogue.keys(root, sort="name", **both) == ["A", "B", "C", "D"]
    assert catalogue.keys(root, sort="-name", **both) == ["D", "C", "B", "A"]
    assert catalogue.keys(root, sort="-duration", **both) == ["B", "D", "C", "A"]
    assert catalogue.keys(root, sort="duration", **both) == ["A", "C", "D", "B"]
    assert catalogue.keys(root, sort="-createdAt", **both) == ["D", "C", "B", "A"]
    assert catalogue.keys(root, **both) == ["D", "C", "B", "A"]  # default: -publishedAt
    assert catalogue.keys(root, sort="publishedAt", **both) == ["A", "B", "C", "D"]
    assert catalogue.keys(root, sort="-originallyPublishedAt", **both) == ["D", "B", "A", "C"]
    assert catalogue.keys(root, sort="-views", **both) == ["C", "A", "B", "D"]
    assert catalogue.keys(root, sort="-likes", **both) == ["B", "A", "C", "D"]
    assert catalogue.keys(root, sort="-comments", **both) == ["A", "B", "C", "D"]  # no comments: by id


def test_trending_adds_up_the_views_of_the_last_days(server, catalogue):
    root = server.root
    both = {"nsfw": "both"}
    ids = {key: ref["id"] for key, ref in catalogue.refs.items()}
    counted = dict(run_sql(server, "SELECT video_id, SUM(views) FROM video_view WHERE video_id IN (:a, :c) "
                                   "GROUP BY video_id", {"a": ids["A"], "c": ids["C"]}))
    assert counted == {ids["A"]: 1, ids["C"]: 2}  # every counted view lands in its hour
    assert catalogue.keys(root, sort="-trending", **both) == ["C", "A", "B", "D"]
    # Views from days ago cannot be made through the API: written here as the view counter writes
    # them. B's are inside the 7-day window (trending.videos.interval_days), D's are older.
    now = datetime.now(UTC)
    written = []
    try:
        for key, days, views in (("B", 2, 5), ("D", 30, 50)):
            start = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
            run_sql(server, "INSERT INTO video_view (video_id, start_date, end_date, views) VALUES (:v, :s, :e, :n)",
                    {"v": ids[key], "s": _stored_date(server, start),
                     "e": _stored_date(server, start + timedelta(hours=1)), "n": views})
            written.append((ids[key], _stored_date(server, start)))
        assert catalogue.keys(root, sort="-trending", **both) == ["B", "C", "A", "D"]
        assert catalogue.keys(root, sort="-views", **both) == ["C", "A", "B", "D"]  # the counters did not move
    finally:
        # the catalogue is shared: the hot and best sorts of other tests count these views too
        for video_id, start in written:
            run_sql(server, "DELETE FROM video_view WHERE video_id = :v AND start_date = :s", {"v": video_id, "s": start})


def _stored_date(server, value: datetime):
    """Dates as the server's columns store them: naive UTC text on SQLite, timestamptz on PostgreSQL."""
    if database_url(server).startswith("sqlite"):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def test_computed_sorts(server, catalogue):
    root = server.root
    both = {"nsfw": "both"}
    # hot: views weigh (likes count from the third one), then the most recent publication
    assert catalogue.keys(root, sort="-hot", **both) == ["C", "A", "D", "B"]
    assert catalogue.keys(server.anonymous, sort="-best", nsfw="both") == ["C", "A", "B"]
    # best: hot, minus what the user already watched (root watched A and C)
    assert catalogue.keys(root, sort="-best", **both) == ["D", "B", "C", "A"]
    # moderators: the size of the files on this instance
    sizes = {}
    for key in ("A", "B", "C", "D"):
        details = video_json(root, catalogue.refs[key]["uuid"])
        files = details["files"] + [f for p in details["streamingPlaylists"] for f in p["files"]]
        sizes[key] = sum(file["size"] for file in files)
    expected = sorted(sizes, key=lambda key: (-sizes[key], catalogue.refs[key]["id"]))
    assert catalogue.keys(root, sort="-localVideoFilesSize", **both) == expected


def test_already_watched_videos_can_be_left_out(server, catalogue):
    assert catalogue.keys(server.root, excludeAlreadyWatched="true", nsfw="both",
                          sort="name") == ["B", "D"]


def test_pagination_skip_count_and_included_attributes(server, catalogue):
    root = server.root
    page = catalogue.page(root, sort="name", start=1, count=2, nsfw="both")
    assert page["total"] == 4 and [catalogue.names[item["uuid"]] for item in page["data"]] == ["B", "C"]
    skipped = catalogue.page(root, skipCount="true", nsfw="both")
    assert "total" not in skipped and len(skipped["data"]) == 4
    assert catalogue.page(root, count=0)["data"] == []

    plain = catalogue.page(root, sort="name", count=1)["data"][0]
    assert not {"files", "streamingPlaylists", "tags"} & plain.keys()
    with_files = catalogue.page(root, sort="name", count=1, include=8)["data"][0]
    assert with_files["files"] == [] and len(with_files["streamingPlaylists"]) == 1
    with_tags = catalogue.page(root, sort="name", count=1, include=128)["data"][0]
    assert with_tags["tags"] == sorted([catalogue.mark, catalogue.alpha])
    with_source = catalogue.page(root, sort="name", count=1, include=32)["data"][0]
    source = with_source["videoSource"]
    assert source["inputFilename"].endswith(".mp4") and source["size"] > 0
    assert source["resolution"]["label"] == f"{source['resolution']['id']}p"


def test_user_history_in_lists(server, catalogue):
    items = catalogue.page(server.root, sort="name", nsfw="both")["data"]
    history = {catalogue.names[item["uuid"]]: item["userHistory"] for item in items}
    assert history["A"] == {"currentTime": 2} and history["C"] == {"currentTime": 3}
    assert history["B"] is None and history["D"] is None


def test_channel_and_account_lists(server, catalogue):
    me = catalogue.owner.get("/api/v1/users/me").json()
    channel = me["videoChannels"][0]["name"]
    host = f"127.0.0.1:{server.port}"
    for handle in (channel, f"{channel}@{host}"):
        path = f"/api/v1/video-channels/{handle}/videos"
        assert sorted(catalogue.keys(server.anonymous, path=path)) == ["A", "C"]
        assert sorted(catalogue.keys(catalogue.owner, path=path, nsfw="both")) == ["A", "B", "C", "D"]
        assert sorted(catalogue.keys(server.root, path=path)) == ["A", "C", "D"]
    for handle in (catalogue.owner_name, f"{catalogue.owner_name}@{host}"):
        path = f"/api/v1/accounts/{handle}/videos"
        assert sorted(catalogue.keys(server.anonymous, path=path)) == ["A", "C"]
        assert catalogue.keys(server.anonymous, path=path, sort="-duration", categoryOneOf=1) == ["A"]
        assert sorted(catalogue.keys(server.root, path=path)) == ["A", "C", "D"]
    # the owner may list their own private and unlisted videos there
    path = f"/api/v1/accounts/{catalogue.owner_name}/videos"
    assert catalogue.keys(catalogue.owner, path=path, privacyOneOf=2) == ["E"]
    assert server.anonymous.get(f"/api/v1/video-channels/nochannel{catalogue.suffix}/videos").status_code == 404
    assert server.anonymous.get(f"/api/v1/accounts/noaccount{catalogue.suffix}/videos").status_code == 404


def test_my_videos(server, catalogue):
    owner = catalogue.owner
    path = "/api/v1/users/me/videos"
    assert sorted(catalogue.keys(owner, path=path)) == ["A", "B", "C", "D", "E"]
    assert catalogue.keys(owner, path=path, search=f"zebra{catalogue.suffix}") == ["C"]
    assert catalogue.keys(owner, path=path, privacyOneOf=2) == ["E"]
    assert catalogue.keys(owner, path=path, isLive="true") == []
    assert catalogue.keys(owner, path=path, sort="-duration")[0] == "B"
    channel_id = owner.get("/api/v1/users/me").json()["videoChannels"][0]["id"]
    channel_name = owner.get("/api/v1/users/me").json()["videoChannels"][0]["name"]
    assert len(catalogue.keys(owner, path=path, channelId=channel_id)) == 5
    assert len(catalogue.keys(owner, path=path, channelNameOneOf=channel_name.upper())) == 5
    assert catalogue.keys(owner, path=path, channelNameOneOf="not_a_channel_of_mine") == []
    # another user's list does not hold them
    other = server.create_user(f"notowner{catalogue.suffix}")
    assert catalogue.keys(other, path=path) == []
    item = catalogue.page(owner, path=path, sort="name", count=1)["data"][0]
    assert item["state"]["id"] == 1 and item["privacy"]["id"] == 1
