"""Video playlists: lookup and visibility (`lookup`), editing and channel order (`editing`), elements
and their positions (`elements`, `positions`), miniatures (`thumbnails`), lists (`listing`), and the
special "Watch later" playlist (`watch_later`)."""

from vidpub.services.playlists.editing import detach_channel_playlists

__all__ = ["detach_channel_playlists"]
