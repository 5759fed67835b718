"""Video Captions: WebVTT and SRT uploads become WebVTT files with an HLS playlist, listed with
PeerTube 8's fields; replacing or deleting a caption removes its old files."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video, video_json

VTT = b"WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello captions\n"
SRT = (b"1\r\n00:00:01,000 --> 00:00:02,500\r\nBonjour\r\n\r\n"
       b"2\r\n00:00:03,000 --> 00:00:03,900\r\nAu revoir\r\n")


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"cap_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture
def video(owner):
    return published_video(owner)


def upload(client, video, language, content, filename="captions.vtt", content_type="text/vtt"):
    return client.put(f"/api/v1/videos/{video['uuid']}/captions/{language}",
                      files={"captionfile": (filename, content, content_type)})


def listed(client, video, headers=None) -> dict:
    response = client.get(f"/api/v1/videos/{video['uuid']}/captions", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def stored(server, caption: dict, key: str = "fileUrl") -> str:
    name = caption[key].rsplit("/", 1)[1]
    return (server.data_dir / "storage" / "captions" / name).read_text()


def test_a_webvtt_caption_is_stored_and_listed(server, owner, video):
    response = upload(owner, video, "en", VTT)
    assert response.status_code == 204, response.text

    body = listed(server.anonymous, video)
    assert body["total"] == 1
    caption = body["data"][0]
    assert caption["language"] == {"id": "en", "label": "English"}
    assert caption["automaticallyGenerated"] is False
    assert caption["captionPath"].startswith("/lazy-static/video-captions/")
    assert caption["captionPath"].endswith("-en.vtt")
    assert caption["fileUrl"] == server.url + caption["captionPath"]
    assert caption["m3u8Url"].startswith(server.url + "/lazy-static/video-captions/")
    assert caption["updatedAt"].endswith("Z")
    assert stored(server, caption).encode() == VTT

    playlist = stored(server, caption, "m3u8Url")
    assert playlist.startswith("#EXTM3U\n")
    assert "#EXT-X-TARGETDURATION:4\n" in playlist and "#EXTINF:4,\n" in playlist
    assert caption["captionPath"].rsplit("/", 1)[1] in playlist.splitlines()
    assert playlist.endswith("#EXT-X-ENDLIST\n")


def test_an_srt_caption_becomes_webvtt(server, owner, video):
    response = upload(owner, video, "fr", SRT, filename="sous-titres.srt",
                      content_type="application/x-subrip")
    assert response.status_code == 204, response.text
    caption = listed(owner, video)["data"][0]
    assert caption["captionPath"].endswith("-fr.vtt")
    assert stored(server, caption) == ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.500\nBonjour\n\n"
                                       "2\n00:00:03.000 --> 00:00:03.900\nAu revoir\n")


def test_replacing_a_caption_removes_the_old_files(server, owner, video):
    assert upload(owner, video, "en", VTT).status_code == 204
    old = listed(owner, video)["data"][0]
    replacement = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nSecond version\n"
    assert upload(owner, video, "en", replacement).status_code == 204

    body = listed(owner, video)
    assert body["total"] == 1
    new = body["data"][0]
    assert new["captionPath"] != old["captionPath"]
    assert stored(server, new).encode() == replacement
    for key in ("fileUrl", "m3u8Url"):
        with pytest.raises(FileNotFoundError):
            stored(server, old, key)


def test_captions_are_listed_by_language_and_deleted(server, owner, video):
    for language in ("fr", "de", "en"):
        assert upload(owner, video, language, VTT).status_code == 204
    body = listed(owner, video)
    assert [item["language"]["id"] for item in body["data"]] == ["de", "en", "fr"]
    german = body["data"][0]

    response = owner.delete(f"/api/v1/videos/{video['uuid']}/captions/de")
    assert response.status_code == 204, response.text
    assert [item["language"]["id"] for item in listed(owner, video)["data"]] == ["en", "fr"]
    with pytest.raises(FileNotFoundError):
        stored(server, german)


def test_a_moderator_manages_captions(server, video):
    moderator = server.create_user(f"cap_mod_{uuid.uuid4().hex[:8]}", role=1)
    assert upload(moderator, video, "es", VTT).status_code == 204
    assert moderator.delete(f"/api/v1/videos/{video['uuid']}/captions/es").status_code == 204


def test_captions_of_a_password_protected_video_need_its_password(server, owner):
    protected = published_video(owner, privacy=5, videoPasswords=["caption-pass"])
    assert upload(owner, protected, "en", VTT).status_code == 204
    refused = server.anonymous.get(f"/api/v1/videos/{protected['uuid']}/captions")
    assert refused.status_code == 403 and refused.json()["code"] == "video_requires_password"
    assert listed(server.anonymous, protected, {"x-peertube-video-password": "caption-pass"})["total"] == 1


def test_generating_captions_is_refused_while_transcription_is_disabled(owner, video):
    response = owner.post(f"/api/v1/videos/{video['uuid']}/captions/generate",
                          json={"forceTranscription": False})
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "Video transcription is disabled on this instance"


def test_generating_captions_without_a_speech_engine_is_refused_clearly(server_factory):
    instance = server_factory(config={"video_transcription": {"enabled": True}})
    owner = instance.create_user(f"cap_gen_{uuid.uuid4().hex[:8]}")
    video = published_video(owner)
    response = owner.post(f"/api/v1/videos/{video['uuid']}/captions/generate")
    assert response.status_code == 400, response.text
    assert "no transcription engine" in response.json()["detail"]
    stranger = instance.create_user(f"cap_gen_other_{uuid.uuid4().hex[:8]}")
    assert stranger.post(f"/api/v1/videos/{video['uuid']}/captions/generate").status_code == 403


def master_playlist(client, video) -> str:
    playlists = video_json(client, video["id"])["streamingPlaylists"]
    assert playlists, "the video has no HLS playlist"
    response = client.get(playlists[0]["playlistUrl"])
    assert response.status_code == 200, response.text
    return response.text


def test_the_hls_master_playlist_lists_the_captions(server, owner, video):
    assert "TYPE=SUBTITLES" not in master_playlist(owner, video)
    assert upload(owner, video, "en", VTT).status_code == 204
    caption = listed(owner, video)["data"][0]
    master = master_playlist(owner, video)
    assert (f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subtitles",NAME="English",DEFAULT=NO,AUTOSELECT=NO,'
            f'FORCED=NO,LANGUAGE="en",URI="{caption["m3u8Url"]}"') in master
    assert all('SUBTITLES="subtitles"' in line for line in master.splitlines()
               if line.startswith("#EXT-X-STREAM-INF"))
    # the caption playlist and file it names are served
    playlist = server.anonymous.get(caption["m3u8Url"])
    assert playlist.status_code == 200 and playlist.text.startswith("#EXTM3U")
    served = server.anonymous.get(caption["fileUrl"])
    assert served.status_code == 200 and served.content == VTT

    assert owner.delete(f"/api/v1/videos/{video['uuid']}/captions/en").status_code == 204
    assert "TYPE=SUBTITLES" not in master_playlist(owner, video)


def test_deleting_the_video_removes_its_caption_files(server, owner, video):
    assert upload(owner, video, "en", VTT).status_code == 204
    caption = listed(owner, video)["data"][0]
    response = owner.delete(f"/api/v1/videos/{video['uuid']}")
    assert response.status_code == 204, response.text
    for key in ("fileUrl", "m3u8Url"):
        with pytest.raises(FileNotFoundError):
            stored(server, caption, key)
