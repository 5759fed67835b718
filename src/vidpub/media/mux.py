"""One MP4 out of two files' streams, written to a pipe while ffmpeg reads (PeerTube's "generate
download": the video stream of one HLS rendition with the separate audio rendition).

Streams are copied, never re-encoded. The output is a fragmented MP4 because a pipe cannot be
seeked back into to write a `moov` at the front; every player and editor reads it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

log = logging.getLogger("vidpub.ffmpeg")

PIPE_CHUNK = 256 * 1024


def mux_arguments(video_path: Path, audio_path: Path | None) -> list[str]:
    args = ["-i", str(video_path)]
    if audio_path is not None and audio_path != video_path:
        args += ["-i", str(audio_path), "-map", "0:v:0", "-map", "1:a:0"]
    else:
        args += ["-map", "0:v:0?", "-map", "0:a:0?"]
    return args + ["-c", "copy", "-movflags", "frag_keyframe+empty_moov+default_base_moof",
                   "-f", "mp4", "pipe:1"]


async def mux_to_stream(binary: str, video_path: Path, audio_path: Path | None, *,
                        nice: int = 10) -> AsyncIterator[bytes]:
    """Yield the muxed MP4 as ffmpeg writes it; ffmpeg is killed if the consumer stops early."""
    process = await asyncio.create_subprocess_exec(
        binary, "-hide_banner", "-nostdin", "-loglevel", "error", *mux_arguments(video_path, audio_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        preexec_fn=(lambda: os.nice(nice)) if nice else None)
    stderr_task = asyncio.create_task(process.stderr.read())
    finished = False
    try:
        while chunk := await process.stdout.read(PIPE_CHUNK):
            yield chunk
        finished = True
    finally:
        if process.returncode is None and not finished:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        await process.wait()
        stderr = await stderr_task
        if finished and process.returncode != 0:
            log.warning("muxing %s failed (%s): %s", video_path.name, process.returncode,
                        stderr.decode("utf-8", "replace")[-500:])
