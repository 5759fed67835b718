"""What the watch page hands its player (over HTTP, no JavaScript): PeerTube's URL options, the password
the visitor gave, and the signed-in viewer's access token — for that viewer only; and the video's comment
threads, server-rendered and inert."""

from __future__ import annotations

import json
import re

import httpx

from tests.support.comments import post_reply, post_thread
from tests.support.published_videos import published_video
from tests.web.test_pages import PAYLOAD, html_page

TOKEN_META = re.compile(r'<meta name="vidpub-access-token" content="([^"]*)">')


def player_config(html: str) -> dict:
    found = re.search(r"<script type=\"application/json\" data-player-config>(.*?)</script>", html, re.DOTALL)
    assert found, "no player on the page"
    return json.loads(found.group(1))


def sign_in(browser: httpx.Client, username: str, password: str) -> None:
    """Log in through the page's form: the client then keeps the page cookie."""
    answer = browser.post("/login", data={"username": username, "password": password})
    assert answer.status_code == 303, answer.text[:300]


def test_the_watch_page_passes_peertubes_url_options(server, unique):
    owner = server.create_user(f"watchopts{unique}")
    video = published_video(owner)
    response = server.anonymous.get(f"/w/{video['shortUUID']}?start=1m30s&stop=100&muted=1&loop=true&autoplay=1")
    assert response.status_code == 200
    options = player_config(response.text)["options"]
    assert (options["start"], options["stop"]) == (90, 100)
    assert options["muted"] and options["loop"] and options["autoplay"]
    # the page shows the title itself and is the PeerTube link: the player shows neither, whatever the query
    assert options["title"] is False and options["peertubeLink"] is False and options["embed"] is False
    forced = player_config(server.anonymous.get(f"/w/{video['shortUUID']}?title=1&peertubeLink=1").text)["options"]
    assert forced["title"] is False and forced["peertubeLink"] is False
    plain = player_config(server.anonymous.get(f"/videos/watch/{video['uuid']}").text)["options"]
    assert plain["start"] == 0 and plain["stop"] is None and not plain["autoplay"]
    malformed = player_config(server.anonymous.get(f"/w/{video['shortUUID']}?start=soon").text)["options"]
    assert malformed["start"] == 0


def test_the_password_given_reaches_the_player(server, unique):
    owner = server.create_user(f"watchpw{unique}")
    video = published_video(owner, privacy=5, videoPasswords=["open-sesame"])
    right = server.anonymous.post(f"/w/{video['shortUUID']}?start=2", data={"password": "open-sesame"})
    assert right.status_code == 200
    config = player_config(right.text)
    assert config["password"] == "open-sesame" and config["privateFiles"] is True
    assert config["options"]["start"] == 2
    assert server.anonymous.get(f"/w/{video['shortUUID']}").status_code == 403  # the prompt, no player
    public = published_video(owner)
    assert player_config(server.anonymous.get(f"/w/{public['shortUUID']}").text)["password"] is None


def test_only_signed_in_viewers_get_their_access_token(server, unique):
    owner = server.create_user(f"watchtoken{unique}", password="password-watch")
    private = published_video(owner, privacy=3)
    public = published_video(owner)
    anonymous_page = server.anonymous.get(f"/w/{public['shortUUID']}")
    assert anonymous_page.status_code == 200 and TOKEN_META.search(anonymous_page.text) is None
    with httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=30) as browser:
        sign_in(browser, f"watchtoken{unique}", "password-watch")
        token = browser.cookies["vidpub_access_token"]
        for video in (public, private):
            page = browser.get(f"/w/{video['shortUUID']}")
            assert page.status_code == 200
            assert TOKEN_META.search(page.text).group(1) == token
        assert player_config(page.text)["privateFiles"] is True
        # the token the page hands out is the viewer's own OAuth token
        assert server.anonymous.with_token(token).get("/api/v1/users/me").json()["username"] == f"watchtoken{unique}"
    # a cookie that no longer names a valid token gets no token either
    stale = httpx.Client(base_url=server.url, cookies={"vidpub_access_token": "not-a-token"}, timeout=30)
    with stale:
        page = stale.get(f"/w/{public['shortUUID']}")
        assert page.status_code == 200 and TOKEN_META.search(page.text) is None
        assert stale.get(f"/w/{private['shortUUID']}").status_code == 404


def test_the_watch_page_shows_the_comment_threads_inert(server, unique):
    owner = server.create_user(f"watchcomments{unique}")
    video = published_video(owner)
    older = post_thread(owner, video, f"First **thread** {unique}")
    post_reply(owner, video, older["id"], "a reply")
    post_thread(owner, video, f"Hostile {unique} {PAYLOAD} [link](javascript:alert(1))")
    response, page = html_page(server.anonymous, f"/w/{video['shortUUID']}")
    assert page.dangers == [], page.dangers
    html = response.text
    assert "3 comments" in html  # every visible comment, replies included (the API's totalNotDeletedComments)
    hostile, first = html.index(f"Hostile {unique}"), html.index(f"First <strong>thread</strong> {unique}")
    assert hostile < first, "newest thread first"
    assert "1 reply" in html and "a reply" not in html  # replies are counted, threads listed
    assert "<script>" not in html[hostile - 200:first]


def test_comment_threads_follow_the_video_access(server, unique):
    owner = server.create_user(f"watchcommentspw{unique}")
    video = published_video(owner, privacy=5, videoPasswords=["open-sesame"])
    post_thread(owner, video, f"Behind the password {unique}")
    prompt = server.anonymous.get(f"/w/{video['shortUUID']}")
    assert prompt.status_code == 403 and f"Behind the password {unique}" not in prompt.text
    right = server.anonymous.post(f"/w/{video['shortUUID']}", data={"password": "open-sesame"})
    assert right.status_code == 200 and f"Behind the password {unique}" in right.text
