// HLS playlists as Vidpub (and PeerTube) write them: a master playlist of renditions (an optional
// separate audio rendition), and per rendition a VOD playlist of byte ranges of one fragmented MP4.

const ATTRIBUTE = /([A-Z0-9-]+)=("[^"]*"|[^,]*)/g;

export function parseAttributes(text) {
  const attributes = {};
  for (const [, name, raw] of text.matchAll(ATTRIBUTE)) {
    attributes[name] = raw.startsWith('"') ? raw.slice(1, -1) : raw;
  }
  return attributes;
}

const VIDEO_CODECS = /^(avc[13]|hev1|hvc1|vp0?9|av01)/;

/** Split a CODECS attribute into its video and audio parts. */
export function splitCodecs(codecs) {
  const parts = (codecs || '').split(',').map((c) => c.trim()).filter(Boolean);
  return {
    video: parts.filter((c) => VIDEO_CODECS.test(c)).join(','),
    audio: parts.filter((c) => !VIDEO_CODECS.test(c)).join(','),
  };
}

/** `{levels: [{uri, bandwidth, width, height, fps, codecs}], audioUri}`; levels by height, lowest first. */
export function parseMaster(text, baseUrl) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist');
  const levels = [];
  let audioUri = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('#EXT-X-MEDIA:')) {
      const media = parseAttributes(line.slice(13));
      if (media.TYPE === 'AUDIO' && media.URI) audioUri = new URL(media.URI, baseUrl).href;
    } else if (line.startsWith('#EXT-X-STREAM-INF:')) {
      const info = parseAttributes(line.slice(18));
      let j = i + 1;
      while (j < lines.length && (lines[j] === '' || lines[j].startsWith('#'))) j++;
      if (j >= lines.length) break;
      const [width, height] = (info.RESOLUTION || '0x0').split('x').map(Number);
      levels.push({
        uri: new URL(lines[j], baseUrl).href, bandwidth: Number(info.BANDWIDTH) || 0, width, height,
        fps: Number(info['FRAME-RATE']) || 0, codecs: info.CODECS || '',
      });
      i = j;
    }
  }
  levels.sort((a, b) => a.height - b.height || a.bandwidth - b.bandwidth);
  return { levels, audioUri };
}

function byteRange(text, previousEnd) {
  const [length, offset] = text.split('@');
  const start = offset === undefined ? previousEnd : Number(offset);
  return { start, end: start + Number(length) }; // end exclusive
}

/** A VOD media playlist: `{init: {url, start, end}, segments: [{url, start, end, time, duration}], duration}`. */
export function parseMedia(text, baseUrl) {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist');
  const segments = [];
  let init = null;
  let time = 0;
  let duration = null;
  let range = null;
  let rangeEnd = 0;
  for (const line of lines) {
    if (line.startsWith('#EXT-X-MAP:')) {
      const map = parseAttributes(line.slice(11));
      init = { url: new URL(map.URI, baseUrl).href, ...(map.BYTERANGE ? byteRange(map.BYTERANGE, 0) : {}) };
    } else if (line.startsWith('#EXTINF:')) {
      duration = parseFloat(line.slice(8));
    } else if (line.startsWith('#EXT-X-BYTERANGE:')) {
      range = byteRange(line.slice(17), rangeEnd);
      rangeEnd = range.end;
    } else if (line && !line.startsWith('#') && duration !== null) {
      segments.push({ url: new URL(line, baseUrl).href, ...(range || {}), time, duration });
      time += duration;
      duration = null;
      range = null;
    }
  }
  return { init, segments, duration: time };
}
