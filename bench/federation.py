"""`--suites federation`: fan-out of one new video to 1,000 followers spread over 200 servers
(issue 5, item 7).

For each backend a fresh server gets one seeded channel and video (`bench/seed.py`) and 1,000 remote
followers of that channel, five per simulated server, each server a port of one receiver process
(`bench/federation_receiver.py`) that verifies every HTTP signature. The clock starts when the
video's `federate-video` job is enqueued (the step that follows a publication) and stops at the last
delivery the receiver accepted. Reported: that time, the requests the receiver got (one per activity
and server's shared inbox is the ideal: a publication sends the Create and, as PeerTube, the channel's
Announce, so 400 for 200 servers), accepted and refused ones, and the deliveries per second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx
import sqlalchemy as sa

from bench.instances import BACKENDS, REPO_ROOT, Unavailable, running_server
from vidpub import __version__
from vidpub.db import Database
from vidpub.db.models import Account, Actor, ActorFollow, ActorType, FollowState, Server, Video, VideoChannel
from vidpub.services.follows import recount

FEDERATION_CONFIG = {"federation": {"prevent_ssrf": False}, "jobs": {"poll_interval": "200ms"}}
TRIGGER_PATH = "/bench/federate-video"
WAIT_TIMEOUT_S = 600


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fed-followers", type=int, default=1000, help="remote followers (federation suite)")
    parser.add_argument("--fed-servers", type=int, default=200, help="servers they live on (federation suite)")


def start_receiver(servers: int) -> tuple[subprocess.Popen, int, list[int]]:
    process = subprocess.Popen([sys.executable, "-m", "bench.federation_receiver", "--servers", str(servers)],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line:
        raise RuntimeError("the receiver did not start")
    ports = json.loads(line)
    return process, ports["control"], ports["ports"]


async def seed_followers(database_url: str, ports: list[int], followers: int) -> int:
    """Remote followers of the seeded video's channel; returns the video's id."""
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            video_id, channel_id = (await session.execute(
                sa.select(Video.id, Video.channel_id).order_by(Video.id).limit(1))).one()
            channel_actor = (await session.execute(
                sa.select(VideoChannel.actor_id).where(VideoChannel.id == channel_id))).scalar_one()
            server_ids = []
            for port in ports:
                server_ids.append((await session.execute(
                    sa.insert(Server).values(host=f"127.0.0.1:{port}").returning(Server.id))).scalar_one())
            for index in range(followers):
                slot = index % len(ports)
                base = f"http://127.0.0.1:{ports[slot]}"
                url = f"{base}/accounts/follower{index}"
                actor_id = (await session.execute(sa.insert(Actor).values(
                    type=ActorType.PERSON, preferred_username=f"follower{index}", url=url,
                    inbox_url=f"{url}/inbox", shared_inbox_url=f"{base}/inbox", followers_url=f"{url}/followers",
                    server_id=server_ids[slot]).returning(Actor.id))).scalar_one()
                await session.execute(sa.insert(Account).values(name=f"Follower {index}", actor_id=actor_id))
                await session.execute(sa.insert(ActorFollow).values(
                    actor_id=actor_id, target_actor_id=channel_actor, state=FollowState.ACCEPTED,
                    url=f"{url}/follows/{channel_actor}"))
            await recount(session, [channel_actor])
        return video_id
    finally:
        await db.dispose()


def seed(server, args: argparse.Namespace, ports: list[int]) -> int:
    url = server.config["database"]["url"]
    finished = subprocess.run([sys.executable, "-m", "bench.seed", "--database-url", url, "--base-url", server.url,
                               "--videos", "1", "--channels", "1"], cwd=REPO_ROOT, capture_output=True, text=True,
                              timeout=600)
    if finished.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{finished.stderr[-3000:]}")
    return asyncio.run(seed_followers(url, ports, args.fed_followers))


def wait_for_deliveries(control: int, at_least: int, quiet_s: float = 2.0) -> dict:
    """Stats once every server got something and nothing more arrived for `quiet_s` (a publication
    may send more than one activity: PeerTube's Create, then the channel's Announce)."""
    deadline = time.time() + WAIT_TIMEOUT_S
    stats: dict = {}
    while time.time() < deadline:
        stats = httpx.get(f"http://127.0.0.1:{control}/stats", timeout=10).json()
        settled = stats["last_accepted_at"] is not None and time.time() - stats["last_accepted_at"] > quiet_s
        if stats["hosts"] >= at_least and settled:
            return stats
        time.sleep(0.05)
    raise RuntimeError(f"deliveries did not reach {at_least} servers: {stats}")


def measure_backend(backend: str, args: argparse.Namespace) -> dict:
    receiver, control, ports = start_receiver(args.fed_servers)
    try:
        with running_server(backend, keep=args.keep, config=FEDERATION_CONFIG) as server:
            video_id = seed(server, args, ports)
            started = time.time()
            response = server.root.post(f"{TRIGGER_PATH}/{video_id}")
            if response.status_code != 204:
                raise RuntimeError(f"trigger failed: {response.status_code} {response.text}")
            stats = wait_for_deliveries(control, len(ports))
            if stats["refused"]:
                print(f"  {backend}: refused deliveries: {stats['errors']}\n{server.log_tail(20)}", file=sys.stderr)
    finally:
        receiver.terminate()
        receiver.wait(timeout=20)
    seconds = stats["last_accepted_at"] - started
    return {"backend": backend, "followers": args.fed_followers, "servers": args.fed_servers,
            "seconds_until_all_accepted": round(seconds, 3),
            "seconds_until_first_received": round(stats["first_at"] - started, 3), "requests_received": stats["requests"],
            "accepted": stats["accepted"], "refused": stats["refused"], "hosts_reached": stats["hosts"],
            "max_requests_per_host": stats["max_per_host"], "activities_sent": len(stats["activities"]), "deliveries_per_s": round(stats["accepted"] / seconds, 1),
            "activities": stats["activities"], "key_fetches": stats["key_fetches"]}


def run(args: argparse.Namespace) -> int:
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    rows, skipped = [], {}
    for backend in backends:
        try:
            print(f"  {backend}: fan-out to {args.fed_followers} followers on {args.fed_servers} servers ...",
                  file=sys.stderr, flush=True)
            rows.append(measure_backend(backend, args))
        except Unavailable as exc:
            skipped[backend] = str(exc)
            print(f"skipping {backend}: {exc}", file=sys.stderr)
    print(f"\nfederation fan-out: one new video, {args.fed_followers} followers on {args.fed_servers} servers")
    print(f"{'backend':<9} {'seconds':>8} {'requests':>9} {'accepted':>9} {'refused':>8} {'hosts':>6} {'deliv/s':>8}")
    for row in rows:
        print(f"{row['backend']:<9} {row['seconds_until_all_accepted']:>8.2f} {row['requests_received']:>9} "
              f"{row['accepted']:>9} {row['refused']:>8} {row['hosts_reached']:>6} {row['deliveries_per_s']:>8.1f}")
    finished = datetime.now(UTC)
    document = {"vidpub_version": __version__, "finished_at": finished.isoformat(timespec="seconds"),
                "machine": {"platform": platform.platform(), "cpus": os.cpu_count()}, "results": rows,
                "skipped": skipped}
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"federation-{finished.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(document, indent=2))
    print(f"\nresults written to {path}")
    return 0 if rows and all(row["refused"] == 0 for row in rows) else 1
