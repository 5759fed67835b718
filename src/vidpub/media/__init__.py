"""The media pipeline: probing, ladder planning, transcoding (web video + HLS), images."""
