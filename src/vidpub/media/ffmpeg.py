"""Running ffmpeg: the binary from the imageio-ffmpeg wheel unless the config names another."""

from __future__ import annotations

import asyncio
import ctypes
import functools
import logging
import os
import shutil
import signal
import sys

from vidpub.config import Config

log = logging.getLogger("vidpub.ffmpeg")


class FfmpegError(RuntimeError):
    """ffmpeg exited with an error; the message holds the end of what it printed."""


@functools.lru_cache(maxsize=4)
def ffmpeg_binary(configured: str | None = None) -> str:
    """`transcoding.ffmpeg_path` (or an `ffmpeg` on PATH when it says 'system'), else the wheel's."""
    if configured and configured != "system":
        return configured
    if configured == "system":
        found = shutil.which("ffmpeg")
        if found:
            return found
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def binary_for(config: Config) -> str:
    return ffmpeg_binary(config.transcoding.get("ffmpeg_path"))


_PR_SET_PDEATHSIG = 1


def _prepare_child(nice: int) -> None:
    """In the forked child: lower its priority, and (Linux) have the kernel kill it if the process
    that started it dies, so a crashed worker leaves no ffmpeg running on for nothing."""
    if nice:
        os.nice(nice)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


async def run_ffmpeg(binary: str, args: list[str], *, nice: int = 0, timeout: float | None = None) -> None:
    """Run ffmpeg to completion; its stderr is kept only to explain a failure."""
    command = [binary, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *args]
    log.debug("ffmpeg %s", " ".join(args))
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        preexec_fn=functools.partial(_prepare_child, nice))
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=timeout)
    except (asyncio.CancelledError, asyncio.TimeoutError):
        process.kill()
        await process.wait()
        raise
    if process.returncode != 0:
        message = stderr.decode("utf-8", "replace").strip()[-2000:]
        raise FfmpegError(f"ffmpeg exited with {process.returncode}: {message}")
