"""One module per job type family; importing this package registers them all."""

from vidpub.jobs.handlers import (email, housekeeping, notify, storyboard, transcoding, uploads,  # noqa: F401
                                  video_import)
