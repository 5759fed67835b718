"""One module per job type family; importing this package registers them all."""

from vidpub.jobs.handlers import (activitypub, channel_import, email, housekeeping, notify, storyboard,  # noqa: F401
                                  transcoding, uploads, video_import)
from vidpub.jobs.handlers import federation_videos  # noqa: F401,E402  (FED-VIDEOS)
from vidpub.jobs.handlers import redundancy  # noqa: F401,E402  (REDUNDANCY)
