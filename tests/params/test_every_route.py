"""Every route the app declares, fed bad input by an anonymous caller, a plain user and root, answers
with a 4xx problem document and never with a 5xx.

The operations come from the running server's own `/api/v1/openapi.json`, completed with the routes
the app keeps out of it, so routes added later are swept without touching this file. The sweep runs
on a dedicated instance: some probes really act (revoke the caller's token, pause the job queue,
block the user they target), and the sweep puts its callers back on their feet after each operation.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass

import httpx
import pytest

from tests.params.app_routes import Operation, hidden_operations, introspection_app, operations_from_openapi
from tests.params.bad_inputs import PASSWD_MARKER, TRAVERSAL, Probe, probes_for
from tests.support.server import ROOT_PASSWORD, ServerProcess

CONCURRENCY = 8
PLAIN_PASSWORD = "sweep-password-1"
LOG_LINE_START = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d")


def check_response(response: httpx.Response, *, problem_expected: bool, traversal: bool) -> str | None:
    """What is wrong with an answer to bad input, or None."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if traversal and status == 200 and PASSWD_MARKER in response.content:
        return "path traversal: the answer holds /etc/passwd"
    if 400 <= status < 500 and problem_expected:
        content_type = response.headers.get("content-type", "")
        if not content_type.startswith("application/problem+json"):
            return f"{status} answered as {content_type or 'no content type'}, not application/problem+json"
        try:
            body = response.json()
        except ValueError:
            return f"{status} problem document is not JSON"
        if not isinstance(body, dict):
            return f"{status} problem document is {body!r}, not an object"
        if body.get("status") != status:
            return f"{status} problem document has status {body.get('status')!r}"
    return None


@dataclass
class Caller:
    name: str
    username: str | None = None
    password: str | None = None
    role: int | None = None
    user_id: int | None = None
    token: str | None = None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


@dataclass
class Failure:
    caller: str
    method: str
    url: str
    probe: str
    problem: str
    excerpt: str

    def __str__(self) -> str:
        excerpt = f" -- {self.excerpt}" if self.excerpt else ""
        return f"{self.method} {self.url} as {self.caller} ({self.probe}): {self.problem}{excerpt}"


class Sweep:
    def __init__(self, http: httpx.AsyncClient, callers: list[Caller], keeper: Caller):
        self.http = http
        self.callers = callers
        self.keeper = keeper
        self.failures: list[Failure] = []
        self.notes: list[str] = []
        self.requests = 0
        self._slots = asyncio.Semaphore(CONCURRENCY)

    async def run(self, operations: list[Operation]) -> None:
        for op in operations:
            probes = probes_for(op)
            assert probes, f"no probe for {op}"
            jobs = [self.send(caller, op, probe) for caller in self.callers for probe in probes
                    if caller.name == "root" or not probe.root_only]
            statuses = await asyncio.gather(*jobs)
            for caller in self.callers:
                if caller.token and 401 in {status for name, status in statuses if name == caller.name}:
                    await self.restore(caller, op)

    async def send(self, caller: Caller, op: Operation, probe: Probe) -> tuple[str, int | None]:
        async with self._slots:
            self.requests += 1
            headers = {**caller.headers(), **probe.headers}
            for attempt in (1, 2):
                try:
                    response = await self.http.request(op.method, probe.path, params=probe.query or None,
                                                       headers=headers, content=probe.content)
                    break
                except httpx.TransportError as exc:
                    # once more on a fresh connection: after a crash the server drops the keep-alive
                    # connection, which the next request sent on it would otherwise be blamed for
                    if attempt == 2:
                        problem = f"no answer: {type(exc).__name__}: {exc}"
                        self._fail(caller, op, probe, probe.path, problem, "")
                        return caller.name, None
        api = op.in_published_schema or op.path.startswith("/api/")
        problem = check_response(response, problem_expected=api, traversal=TRAVERSAL in probe.path)
        if problem:
            excerpt = "" if response.status_code >= 500 else response.text[:200]  # the traceback says more
            self._fail(caller, op, probe, str(response.request.url.raw_path, "latin-1"), problem, excerpt)
        return caller.name, response.status_code

    def _fail(self, caller: Caller, op: Operation, probe: Probe, url: str, problem: str,
              excerpt: str) -> None:
        self.failures.append(Failure(caller.name, op.method, url, probe.label, problem, excerpt))

    async def restore(self, caller: Caller, op: Operation) -> None:
        """Give the caller a working session again: its token may be revoked, its user blocked or
        its password changed by what the operation did."""
        if (await self.http.get("/api/v1/users/me", headers=caller.headers())).status_code == 200:
            return
        if await self.login(caller):
            self.notes.append(f"{op}: {caller.name}'s token stopped working (logged in again)")
            return
        keeper = self.keeper.headers()
        await self.http.post(f"/api/v1/users/{caller.user_id}/unblock", headers=keeper)
        await self.http.put(f"/api/v1/users/{caller.user_id}", headers=keeper,
                            json={"password": caller.password})
        assert await self.login(caller), f"{op} left {caller.name} unable to log in, even after repair"
        me = (await self.http.get("/api/v1/users/me", headers=caller.headers())).json()
        if me["role"]["id"] != caller.role:
            await self.http.put(f"/api/v1/users/{caller.user_id}", headers=keeper, json={"role": caller.role})
        self.notes.append(f"{op}: {caller.name} could no longer log in (unblocked and password reset)")

    async def login(self, caller: Caller) -> bool:
        local = (await self.http.get("/api/v1/oauth-clients/local")).json()
        response = await self.http.post("/api/v1/users/token", data={
            "client_id": local["client_id"], "client_secret": local["client_secret"],
            "grant_type": "password", "username": caller.username, "password": caller.password})
        if response.status_code != 200:
            return False
        caller.token = response.json()["access_token"]
        return True


def server_tracebacks(server: ServerProcess, limit: int = 10) -> str:
    """The server's 5xx tracebacks, shortened to our own frames and the exception lines, one per
    distinct error."""
    if not server.log_path.exists():
        return ""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in server.log_path.read_text(errors="replace").splitlines():
        if "unhandled error on" in line:
            current = [line.split(": ", 1)[-1]]
            blocks.append(current)
        elif current is None:
            continue
        elif LOG_LINE_START.match(line) or line.startswith(("ERROR:", "INFO:", "WARNING:")):
            current = None
        elif line.startswith(" "):
            if 'File "' in line and "/vidpub/" in line and "site-packages" not in line:
                current.append("  " + line.strip())
        elif line.strip() and not line.startswith(("Traceback", "During handling", "The above exception")):
            current.append("  " + line.strip()[:300])
    distinct: dict[tuple, str] = {}
    for block in blocks:
        frames = tuple(line for line in block if line.startswith("  File"))
        causes = [line.split(":", 1)[0] for line in block[1:] if not line.startswith("  File")]
        distinct.setdefault((frames, causes[0] if causes else ""), "\n".join(block))
    return "\n\n".join(list(distinct.values())[:limit])


def sweep_operations(server: ServerProcess) -> list[Operation]:
    spec = server.anonymous.get("/api/v1/openapi.json").json()
    published = operations_from_openapi(spec)
    hidden = hidden_operations(introspection_app(), {op.key for op in published})
    return published + hidden


def test_the_oracle_flags_what_it_must():
    def answer(status: int, body, content_type: str = "application/problem+json; charset=utf-8",
               path: str = "/api/v1/x") -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(status, content=content, headers={"content-type": content_type},
                              request=httpx.Request("GET", "http://test" + path))

    good = answer(400, {"status": 400, "detail": "Incorrect request parameters: id"})
    assert check_response(good, problem_expected=True, traversal=False) is None
    assert check_response(answer(500, {"status": 500}), problem_expected=True, traversal=False)
    assert check_response(answer(502, b"bad gateway", "text/plain"), problem_expected=False, traversal=False)
    assert check_response(answer(404, b"Not Found", "text/plain"), problem_expected=True, traversal=False)
    assert check_response(answer(403, {"status": 400}), problem_expected=True, traversal=False)
    web_page = answer(404, b"<html>", "text/html")
    assert check_response(web_page, problem_expected=False, traversal=False) is None
    leaked = answer(200, b"root:x:0:0:root:/root:/bin/bash\n", "text/plain")
    assert check_response(leaked, problem_expected=False, traversal=True)


def test_every_route_answers_bad_input_without_server_error(server_factory, unique):
    server = server_factory()
    operations = sweep_operations(server)
    assert ("POST", "/api/v1/users/token") in {op.key for op in operations}, "the app's schema was not read"

    server.create_user(f"sweep_keeper{unique}", PLAIN_PASSWORD, role=0)
    server.create_user(f"sweep_user{unique}", PLAIN_PASSWORD, role=2)
    callers = [Caller("anonymous"),
               Caller("user", f"sweep_user{unique}", PLAIN_PASSWORD, role=2),
               Caller("root", "root", ROOT_PASSWORD, role=0)]
    keeper = Caller("keeper", f"sweep_keeper{unique}", PLAIN_PASSWORD, role=0)

    async def sweep() -> Sweep:
        async with httpx.AsyncClient(base_url=server.url, timeout=60,
                                     limits=httpx.Limits(max_connections=CONCURRENCY)) as http:
            run = Sweep(http, callers, keeper)
            for caller in [*callers[1:], keeper]:
                assert await run.login(caller), caller.name
                me = (await http.get("/api/v1/users/me", headers=caller.headers())).json()
                caller.user_id = me["id"]
            await run.run(operations)
            return run

    started = time.monotonic()
    run = asyncio.run(sweep())
    elapsed = time.monotonic() - started
    print(f"\nswept {len(operations)} operations with {run.requests} requests in {elapsed:.1f}s")
    for note in run.notes:
        print("note:", note)
    if run.failures:
        listing = "\n".join(str(f) for f in run.failures[:60])
        more = f"\n... and {len(run.failures) - 60} more" if len(run.failures) > 60 else ""
        pytest.fail(f"{len(run.failures)} bad answers to bad input:\n{listing}{more}\n\n"
                    f"server tracebacks:\n{server_tracebacks(server)}", pytrace=False)
