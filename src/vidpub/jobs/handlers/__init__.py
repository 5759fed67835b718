"""One module per job type family; importing this package registers them all."""

from vidpub.jobs.handlers import email, housekeeping, storyboard, transcoding, uploads, video_import  # noqa: F401
