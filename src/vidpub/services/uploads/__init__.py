"""Receiving video files: PeerTube's legacy multipart upload and its resumable (uploadx) protocol,
streamed to disk with flat memory, checked as PeerTube checks them, then turned into a video."""
