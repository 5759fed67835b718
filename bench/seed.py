"""`python -m bench.seed --database-url URL --base-url URL`: fill a migrated Vidpub database with a
large catalogue (100,000 published videos across 1,000 channels by default) for the list and search
benchmarks.

Rows go in with bulk Core inserts (one multi-row statement per batch), on SQLite and PostgreSQL
alike; the database's own triggers keep the full-text indexes in step, as they do for uploads. The
content is deterministic (a seeded random generator): names, descriptions and tags are drawn from a
small vocabulary, with accented words among them, so that a two-word search matches a realistic
few hundred videos. Nothing is written to the storage folders: the rows describe thumbnails that
the benchmark never downloads.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
import uuid as uuid_module
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from vidpub.db import Database, fulltext_segments, statistics
from vidpub.db.models import (Account, Actor, ActorType, Tag, Thumbnail, ThumbnailType, User,
                              UserNotificationSetting, Video, VideoChannel, VideoPrivacy, VideoState, video_tag)
from vidpub.services.actors import build_local_actor

BATCH = 2_000
SEED = 20_26
USER_QUOTA = 10 * 1024 ** 3
# the benchmark's two-word search: two words of the middle of the vocabulary (see `vocabulary`)
TWO_WORD_SEARCH = "ocean sunset"

FILLER = ("the a of and in my with for to on video part new how best first live at from our this episode "
          "about your day one two three more all is by an or vs full official review").split()
REAL_WORDS = (
    "ocean sunset mountain river forest desert city night morning winter summer spring autumn music "
    "guitar piano drums concert festival dance theatre cinema film documentary interview lecture course "
    "tutorial python linux server network privacy freedom software hardware keyboard camera lens drone "
    "travel journey train bicycle hiking climbing skiing surfing sailing fishing cooking recipe bread "
    "cheese coffee garden flowers trees birds insects cats dogs horses wildlife nature science physics "
    "chemistry biology history politics economy climate energy solar wind water fire earth space rocket "
    "planet galaxy telescope robot machine learning game chess football tennis marathon yoga meditation "
    "painting drawing sculpture photography poetry novel story children family friends village harbour "
    "bridge castle museum library school university market street lights snow rain storm "
    "thunder rainbow island beach lake valley canyon volcano glacier café été crème déjà naïve élève "
    "fenêtre forêt château noël"
).split()
TAGS = REAL_WORDS[:120]
_SYLLABLES = ("ka lo mi ne ru ta vo shi pa den mar tel zu bri go la fen tor is an el om ur qua sol vin dra kel "
              "mo pe ri sa ti xo ya").split()


def vocabulary(rng: random.Random, size: int = 3000) -> tuple[list[str], list[float]]:
    """Words with Zipf frequencies, as in real titles and descriptions: filler words are everywhere,
    the real words sit at ranks 100-300 (each in a few percent of the videos), made-up words form the
    long tail. Returns the words and their cumulative weights."""
    made_up: list[str] = []
    seen = set(FILLER) | set(REAL_WORDS)
    while len(made_up) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            made_up.append(word)
    words = FILLER + made_up[:100 - len(FILLER)] + REAL_WORDS + made_up[100 - len(FILLER):]
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


class Seeder:
    def __init__(self, database_url: str, base_url: str, videos: int, channels: int, channels_per_user: int):
        self.db = Database(database_url, pool_size=1)
        self.base_url = base_url.rstrip("/")
        self.video_count = videos
        self.channel_count = channels
        self.channels_per_user = channels_per_user
        self.rng = random.Random(SEED)
        self.words, self.weights = vocabulary(self.rng)
        self.two_word_matches = 0  # videos holding both words of TWO_WORD_SEARCH (name, tags, description)
        self.run = uuid_module.uuid4().hex[:6]  # names and UUIDs differ between runs: seeding twice adds up

    def sentence(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=self.rng.randint(low, high)))

    async def insert(self, conn, table, rows: list[dict]) -> None:
        for first in range(0, len(rows), BATCH):
            await conn.execute(sa.insert(table), rows[first:first + BATCH])

    async def ids(self, conn, query) -> list[int]:
        return list((await conn.execute(query)).scalars())

    async def people(self, conn) -> list[int]:
        """Users with their accounts, and the channels; returns the channel ids."""
        now = datetime.now(UTC)
        users = max(1, self.channel_count // self.channels_per_user)
        names = [f"bench{self.run}u{index}" for index in range(users)]
        await self.insert(conn, User.__table__, [
            dict(username=name, email=f"{name}@example.com", password=None, role=2, video_quota=USER_QUOTA,
                 video_quota_daily=-1, nsfw_policy="do_not_list", email_verified=True, created_at=now,
                 updated_at=now) for name in names])
        user_ids = await self.ids(conn, sa.select(User.id).where(User.username.in_(names)).order_by(User.id))
        await self.insert(conn, UserNotificationSetting.__table__, [
            dict(user_id=user_id, created_at=now, updated_at=now) for user_id in user_ids])
        account_actor_ids = await self.actors(conn, ActorType.PERSON, names, now)
        await self.insert(conn, Account.__table__, [
            dict(name=name.title(), actor_id=actor_id, user_id=user_id, created_at=now, updated_at=now)
            for name, actor_id, user_id in zip(names, account_actor_ids, user_ids)])
        account_ids = await self.ids(conn, sa.select(Account.id).where(Account.actor_id.in_(account_actor_ids))
                                     .order_by(Account.actor_id))
        channel_names = [f"bench{self.run}c{index}" for index in range(self.channel_count)]
        channel_actor_ids = await self.actors(conn, ActorType.GROUP, channel_names, now)
        await self.insert(conn, VideoChannel.__table__, [
            dict(name=f"{self.sentence(1, 3).title()} channel", description=self.sentence(5, 15),
                 actor_id=actor_id, account_id=account_ids[index // self.channels_per_user % len(account_ids)],
                 created_at=now, updated_at=now)
            for index, actor_id in enumerate(channel_actor_ids)])
        return await self.ids(conn, sa.select(VideoChannel.id).where(VideoChannel.actor_id.in_(channel_actor_ids))
                              .order_by(VideoChannel.id))

    async def actors(self, conn, actor_type: str, names: list[str], now: datetime) -> list[int]:
        rows = []
        for name in names:
            actor = build_local_actor(self.base_url, actor_type, name)
            rows.append(dict(type=actor.type, preferred_username=name, url=actor.url, inbox_url=actor.inbox_url,
                             outbox_url=actor.outbox_url, shared_inbox_url=actor.shared_inbox_url,
                             followers_url=actor.followers_url, following_url=actor.following_url,
                             followers_count=0, following_count=0, created_at=now, updated_at=now))
        await self.insert(conn, Actor.__table__, rows)
        urls = [row["url"] for row in rows]
        by_url = dict((await conn.execute(sa.select(Actor.url, Actor.id).where(Actor.url.in_(urls)))).all())
        return [by_url[url] for url in urls]

    async def tags(self, conn) -> dict[str, int]:
        existing = dict((await conn.execute(sa.select(Tag.name, Tag.id).where(Tag.name.in_(TAGS)))).all())
        missing = [name for name in TAGS if name not in existing]
        if missing:
            await self.insert(conn, Tag.__table__, [{"name": name} for name in missing])
        return dict((await conn.execute(sa.select(Tag.name, Tag.id).where(Tag.name.in_(TAGS)))).all())

    async def videos(self, conn, channel_ids: list[int], tag_ids: dict[str, int]) -> None:
        rng = self.rng
        start = datetime.now(UTC) - timedelta(days=3 * 365)
        step = timedelta(days=3 * 365) / self.video_count
        done = 0
        while done < self.video_count:
            size = min(BATCH, self.video_count - done)
            rows, thumbnails, tags = [], [], []
            for index in range(done, done + size):
                video_uuid = str(uuid_module.uuid4())
                published = start + step * index
                privacy = VideoPrivacy.PUBLIC if rng.random() < 0.9 else rng.choice(
                    (VideoPrivacy.UNLISTED, VideoPrivacy.PRIVATE, VideoPrivacy.INTERNAL))
                rows.append(dict(
                    uuid=video_uuid, name=self.sentence(3, 7).capitalize(), category=rng.randint(1, 18),
                    licence=rng.randint(1, 7), language=rng.choice(("en", "fr", "de", "es", None)),
                    privacy=privacy, nsfw=rng.random() < 0.03, nsfw_flags=0,
                    description=self.sentence(15, 60).capitalize() + ".", support=None,
                    duration=rng.randint(10, 3600), aspect_ratio=16 / 9, views=int(rng.paretovariate(1.2)) - 1,
                    likes=rng.randint(0, 20), dislikes=rng.randint(0, 3), comments=rng.randint(0, 10),
                    downloads=0, remote=False, is_live=False, url=f"{self.base_url}/videos/watch/{video_uuid}",
                    channel_id=rng.choice(channel_ids), state=VideoState.PUBLISHED, wait_transcoding=False,
                    comments_policy=1, download_enabled=True, published_at=published, created_at=published,
                    updated_at=published))
            await self.insert(conn, Video.__table__, rows)
            uuids = [row["uuid"] for row in rows]
            by_uuid = dict((await conn.execute(sa.select(Video.uuid, Video.id).where(Video.uuid.in_(uuids)))).all())
            for row in rows:
                video_id = by_uuid[row["uuid"]]
                for kind, width, height, suffix in ((ThumbnailType.MINIATURE, 280, 157, ""),
                                                    (ThumbnailType.PREVIEW, 850, 480, "-preview")):
                    thumbnails.append(dict(video_id=video_id, type=kind, filename=f"{row['uuid']}{suffix}.jpg",
                                           width=width, height=height, on_disk=True, automatically_generated=True,
                                           created_at=row["created_at"], updated_at=row["created_at"]))
                video_tags = rng.sample(TAGS, rng.randint(1, 4))
                for name in video_tags:
                    tags.append({"video_id": video_id, "tag_id": tag_ids[name]})
                words = set(f"{row['name']} {row['description']}".lower().rstrip(".").split()) | set(video_tags)
                if all(word in words for word in TWO_WORD_SEARCH.split()):
                    self.two_word_matches += 1
            await self.insert(conn, Thumbnail.__table__, thumbnails)
            await self.insert(conn, video_tag, tags)
            done += size
            print(f"\r  {done}/{self.video_count} videos", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

    async def analyze(self) -> None:
        """The planner statistics a settled instance has: on SQLite Vidpub's own refresh and full-text
        index merge (its scheduler runs them every 15 minutes, `db/statistics.py`,
        `db/fulltext_segments.py`), on PostgreSQL what autovacuum does after a bulk load (and the
        visibility map of index-only scans)."""
        if self.db.is_sqlite:
            await statistics.refresh(self.db)
            await fulltext_segments.compact(self.db)
        else:
            async with self.db.engine.connect() as conn:
                autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql("VACUUM ANALYZE")

    async def seed(self) -> None:
        began = time.perf_counter()
        try:
            async with self.db.transaction() as session:
                conn = await session.connection()
                channel_ids = await self.people(conn)
                tag_ids = await self.tags(conn)
                await self.videos(conn, channel_ids, tag_ids)
            await self.analyze()
        finally:
            await self.db.dispose()
        print(f"  seeded {self.video_count} videos in {len(channel_ids)} channels in "
              f"{time.perf_counter() - began:.0f} s; {self.two_word_matches} of them hold both words of "
              f"{TWO_WORD_SEARCH!r}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.seed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a migrated Vidpub database")
    parser.add_argument("--base-url", required=True, help="the instance's public URL (actor and video URLs)")
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--channels", type=int, default=1_000)
    parser.add_argument("--channels-per-user", type=int, default=4)
    args = parser.parse_args(argv)
    if args.videos < 1 or args.channels < 1 or args.channels_per_user < 1:
        parser.error("--videos, --channels and --channels-per-user must be positive")
    asyncio.run(Seeder(args.database_url, args.base_url, args.videos, args.channels, args.channels_per_user).seed())


if __name__ == "__main__":
    main()
