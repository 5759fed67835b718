"""Comments on videos: threads and replies, the comments policy and its review queue, deletion as
tombstones, mentions, and the moderation lists."""
