"""The server-rendered pages over HTTP (no JavaScript): meta tags, inert user text, 404s, the password
prompt, sign-in with the page cookie, rights of the admin pages, the sitemap."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from xml.etree import ElementTree

import httpx

from tests.support.published_videos import published_video

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class Page(HTMLParser):
    """Tags of a page as a browser reads them: meta tags, links, and whatever could run."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.dangers: list[str] = []
        self.html_lang = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        if tag == "meta" and (values.get("property") or values.get("name")):
            self.meta.setdefault(values.get("property") or values.get("name"), []).append(values.get("content"))
        if tag == "link":
            self.links.append(values)
        # our own scripts, or data blocks (JSON, which no browser runs)
        if tag == "script" and not ((values.get("src") or "").startswith("/client/")
                                    or values.get("type") == "application/json"):
            self.dangers.append("inline <script>")
        if tag in ("img", "iframe", "object", "embed") and values.get("src") == "x":
            self.dangers.append(f"<{tag}> of the payload")
        self.dangers += [f"{name} on <{tag}>" for name in values if name.startswith("on")]
        self.dangers += [f"{name}={value} on <{tag}>" for name, value in values.items()
                         if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:")]

    def link(self, rel: str, type_: str) -> dict | None:
        return next((link for link in self.links if link.get("rel") == rel and link.get("type") == type_), None)


def html_page(client, path: str, status: int = 200, **kwargs) -> tuple[httpx.Response, Page]:
    response = client.get(path, **kwargs)
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response, Page(response.text)


def test_watch_page_has_the_sharing_meta_tags(server, unique):
    owner = server.create_user(f"metaowner{unique}")
    video = published_video(owner, name=f"Meta video {unique}", description="A *nice* video", tags=["meta"])
    _, page = html_page(server.anonymous, f"/w/{video['shortUUID']}")
    base = server.url
    details = server.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()
    assert page.html_lang == "en"
    assert page.meta["og:platform"] == ["PeerTube"]
    assert page.meta["og:type"] == ["video.other"]
    assert page.meta["og:title"][0].startswith(f"Meta video {unique}")
    assert page.meta["og:description"] == ["A nice video"]
    assert page.meta["og:url"] == [f"{base}/w/{video['shortUUID']}"]
    assert page.meta["og:image"] == [base + details["previewPath"]]
    assert page.meta["og:video:url"] == [f"{base}/videos/embed/{video['uuid']}"]
    assert page.meta["og:video:tag"] == ["meta"]
    assert page.meta["twitter:card"] == ["player"]
    assert page.meta["twitter:player"] == [f"{base}/videos/embed/{video['uuid']}"]
    assert page.link("canonical", None)["href"] == f"{base}/w/{video['shortUUID']}"
    assert page.link("alternate", "application/activity+json")["href"] == details["url"]
    oembed = page.link("alternate", "application/json+oembed")["href"]
    assert server.anonymous.get(oembed.removeprefix(base)).json()["type"] == "video"
    comments_feed = [link["href"] for link in page.links if link.get("type") == "application/rss+xml"]
    assert f"{base}/feeds/video-comments.xml?videoId={video['uuid']}" in comments_feed
    # the legacy address serves the same page with the same canonical address
    _, legacy = html_page(server.anonymous, f"/videos/watch/{video['uuid']}")
    assert legacy.link("canonical", None)["href"] == f"{base}/w/{video['shortUUID']}"


def test_html_payloads_are_inert_on_every_page(server, unique):
    owner = server.create_user(f"xss{unique}")
    video = published_video(owner, name=f"x{unique} {PAYLOAD}", description=f"{PAYLOAD} [link](javascript:alert(1))")
    me = owner.get("/api/v1/users/me").json()
    channel = me["videoChannels"][0]["name"]
    owner.put(f"/api/v1/video-channels/{channel}", json={"displayName": f"c{unique} {PAYLOAD}"[:120],
                                                         "description": PAYLOAD})
    for path in (f"/w/{video['shortUUID']}", "/", f"/search?search=x{unique}", f"/c/{channel}",
                 f"/a/xss{unique}"):
        response, page = html_page(server.anonymous, path)
        assert not page.dangers, (path, page.dangers)
    response, _ = html_page(server.anonymous, f"/w/{video['shortUUID']}")
    assert "&lt;script&gt;" in response.text  # shown as text, not dropped


def test_unknown_and_private_videos_answer_404(server, unique):
    owner = server.create_user(f"private{unique}")
    private = published_video(owner, privacy=3)
    html_page(server.anonymous, f"/w/{uuid.uuid4()}", 404)
    html_page(server.anonymous, "/w/notavideo", 404)
    html_page(server.anonymous, f"/w/{private['shortUUID']}", 404)
    html_page(server.anonymous, "/w/p/nosuchplaylist", 404)
    html_page(server.anonymous, "/c/no_such_channel_here", 404)
    html_page(server.anonymous, "/a/no_such_account_here", 404)
    html_page(server.anonymous, "/w/bad$ref", 400)


def test_password_protected_video_asks_for_its_password(server, unique):
    owner = server.create_user(f"pwowner{unique}")
    video = published_video(owner, name=f"Protected {unique}", privacy=5, videoPasswords=["open-sesame"])
    response, _ = html_page(server.anonymous, f"/w/{video['shortUUID']}", 403)
    assert 'name="password"' in response.text and f"Protected {unique}" not in response.text
    wrong = server.anonymous.post(f"/w/{video['shortUUID']}", data={"password": "nope"})
    assert wrong.status_code == 403 and "Incorrect video password" in wrong.text
    right = server.anonymous.post(f"/w/{video['shortUUID']}", data={"password": "open-sesame"})
    assert right.status_code == 200 and f"Protected {unique}" in right.text


def _browser(server) -> httpx.Client:
    """A cookie-keeping client that sends `Origin` as a browser does with a form."""
    return httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=30)


def test_login_sets_the_api_token_cookie_and_logout_revokes_it(server, unique):
    server.create_user(f"cookie{unique}", password="password-cookie")
    browser = _browser(server)
    refused = browser.post("/login", data={"username": f"cookie{unique}", "password": "wrong-password"})
    assert refused.status_code == 400 and "user credentials are invalid" in refused.text
    assert browser.get("/videos/upload").status_code == 303  # still anonymous
    answer = browser.post("/login", data={"username": f"cookie{unique}", "password": "password-cookie",
                                          "next": "/my-library/videos"})
    assert answer.status_code == 303 and answer.headers["location"] == "/my-library/videos"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("samesite", "SameSite")
    token = browser.cookies["vidpub_access_token"]
    # the same OAuth token as the API's
    assert server.anonymous.with_token(token).get("/api/v1/users/me").json()["username"] == f"cookie{unique}"
    upload, _ = html_page(browser, "/videos/upload")
    assert f'content="{token}"' in upload.text
    # another site's form cannot log the user out (nor in)
    foreign = browser.post("/logout", headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 303
    assert server.anonymous.with_token(token).get("/api/v1/users/me").status_code == 200
    browser.post("/logout")
    assert server.anonymous.with_token(token).get("/api/v1/users/me").status_code == 401
    assert browser.get("/my-library/videos").status_code == 303


def test_login_redirect_stays_on_this_site(server, unique):
    server.create_user(f"redirect{unique}", password="password-redirect")
    answer = _browser(server).post("/login", data={"username": f"redirect{unique}", "password": "password-redirect",
                                                   "next": "//evil.example/x"})
    assert answer.headers["location"] == "/"


def test_admin_pages_need_the_rights_of_their_api_routes(server, unique):
    server.create_user(f"plain{unique}", password="password-plain")
    plain = _browser(server)
    plain.post("/login", data={"username": f"plain{unique}", "password": "password-plain"})
    for path in ("/admin/users", "/admin/config", "/admin/jobs"):
        html_page(plain, path, 403)
        assert server.anonymous.get(path).status_code == 303
    assert plain.post("/admin/config", data={"name": "taken over"}).status_code == 403
    admin = _browser(server)
    admin.post("/login", data={"username": "root", "password": "root-password-for-tests"})
    users, _ = html_page(admin, f"/admin/users?search=plain{unique}")
    assert f"plain{unique}@example.com" in users.text
    html_page(admin, "/admin/jobs")
    html_page(admin, "/admin/jobs?state=completed")
    html_page(admin, "/admin/jobs?state=bogus", 400)
    config, _ = html_page(admin, "/admin/config")
    assert 'name="shortDescription"' in config.text


def test_sitemap_lists_public_local_videos_and_actors(server, unique):
    owner = server.create_user(f"sitemap{unique}")
    public = published_video(owner, description="A sitemap video. " + "More words. " * 40 + "The end.")
    private = published_video(owner, privacy=3)
    response = server.anonymous.get("/sitemap.xml")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in ElementTree.fromstring(response.content).findall("s:url/s:loc", namespace)]
    assert f"{server.url}/w/{public['shortUUID']}" in locations
    assert f"{server.url}/w/{private['shortUUID']}" not in locations
    assert f"{server.url}/a/sitemap{unique}/videos" in locations
    video_namespace = {**namespace, "v": "http://www.google.com/schemas/sitemap-video/1.1"}
    entry = next(url for url in ElementTree.fromstring(response.content).findall("s:url", namespace)
                 if url.find("s:loc", namespace).text == f"{server.url}/w/{public['shortUUID']}")
    # the whole description (up to the extension's 2,000 characters), not a list item's truncated one
    assert entry.find("v:video/v:description", video_namespace).text.endswith("The end.")


def test_signup_page_creates_an_account_that_can_log_in(server_factory, unique):
    open_server = server_factory({"signup": {"enabled": True, "requires_approval": False,
                                             "requires_email_verification": False}})
    browser = _browser(open_server)
    form, _ = html_page(browser, "/signup")
    assert 'name="username"' in form.text
    refused = browser.post("/signup", data={"username": f"new{unique}", "email": "not-an-email",
                                            "password": "password-new"})
    assert refused.status_code == 400 and 'role="alert"' in refused.text
    assert open_server.anonymous.get(f"/api/v1/accounts/new{unique}").status_code == 404
    created = browser.post("/signup", data={"username": f"new{unique}", "email": f"new{unique}@example.com",
                                            "password": "password-new", "displayName": "New one"})
    assert created.status_code == 200 and "Your account is created" in created.text
    logged_in = browser.post("/login", data={"username": f"new{unique}", "password": "password-new"})
    assert logged_in.status_code == 303
    assert browser.get("/my-library/videos").status_code == 200


def test_signup_page_says_when_sign_up_is_closed(server):
    response, _ = html_page(server.anonymous, "/signup")
    assert "Sign-up is closed" in response.text
    assert server.anonymous.post("/signup", data={"username": "x", "email": "x@example.com", "password": "p"},
                                 headers={"Origin": server.url}).status_code == 403
