// HLS playback through Media Source Extensions: the byte ranges of the fragmented MP4s that the HLS
// playlists list are fetched with `Range` requests and appended to SourceBuffers, a few segments ahead
// of the playhead. Quality is chosen from the measured throughput (automatic) or by the viewer.
// When the origin does not answer, the same files are asked of the copies other instances hold of the
// playlist (`streamingPlaylists[].redundancies[].baseUrl`), and the copy that answered is kept.

import { parseMaster, parseMedia, splitCodecs } from './m3u8.js';

const BUFFER_AHEAD = 30;      // seconds kept buffered ahead of the playhead
const BACK_BUFFER = 60;       // seconds kept behind it before evicting
const SAFETY = 0.7;           // automatic quality uses this share of the measured throughput
const MAX_RETRIES = 3;
const TICK_MS = 250;

function mimeOf(codecs) {
  return `video/mp4; codecs="${codecs}"`;
}

function rangeAround(buffered, time) {
  for (let i = 0; i < buffered.length; i++) {
    if (time >= buffered.start(i) - 0.1 && time <= buffered.end(i) + 0.1) {
      return { start: buffered.start(i), end: buffered.end(i) };
    }
  }
  return null;
}

function segmentIndexAt(segments, time) {
  let index = 0;
  for (let i = 0; i < segments.length; i++) {
    if (segments[i].time <= time + 0.05) index = i; else break;
  }
  return index;
}

export function hlsSupported() {
  return typeof window.MediaSource === 'function';
}

export class HlsPlayback {
  /** `withToken(url)` adds a video file token to private files' URLs (identity for public ones). */
  constructor(video, masterUrl, { withToken = (url) => url, onLevelChange = () => {}, onFatal = () => {},
    mirrors = [] } = {}) {
    this.video = video;
    this.masterUrl = masterUrl;
    this.originBase = masterUrl.slice(0, masterUrl.lastIndexOf('/'));
    this.mirrors = mirrors.map((base) => base.replace(/\/+$/, ''));
    this.source = 0;            // who answered last: 0 the origin, n the n-th mirror
    this.withToken = withToken;
    this.onLevelChange = onLevelChange;
    this.onFatal = onFatal;
    this.levels = [];
    this.autoLevel = true;
    this.bandwidth = 0;         // bits/s, moving average of the segment downloads
    this.tracks = [];
    this.playlists = new Map();
    this.destroyed = false;
    this.listeners = [];
  }

  /** Resolves once the MediaSource is open and the first level is chosen; throws when HLS cannot play here. */
  async load() {
    const master = parseMaster(await this.fetchText(this.masterUrl), this.masterUrl);
    const split = master.audioUri !== null;
    this.levels = master.levels.filter((level) => {
      const codecs = split ? splitCodecs(level.codecs).video : level.codecs;
      return window.MediaSource.isTypeSupported(mimeOf(codecs || 'avc1.640028,mp4a.40.2'));
    });
    if (this.levels.length === 0) throw new Error('no playable HLS rendition');

    this.mediaSource = new window.MediaSource();
    this.objectUrl = URL.createObjectURL(this.mediaSource);
    const opened = new Promise((resolve) => this.mediaSource.addEventListener('sourceopen', resolve, { once: true }));
    this.video.src = this.objectUrl;
    await opened;

    const first = this.initialLevel();
    const playlist = await this.playlist(this.levels[first].uri);
    this.mediaSource.duration = playlist.duration;
    const codecs = split ? splitCodecs(this.levels[first].codecs) : { video: this.levels[first].codecs };
    this.tracks.push(this.newTrack('main', codecs.video || this.levels[first].codecs, first));
    if (split) {
      this.audioUri = master.audioUri;
      this.tracks.push(this.newTrack('audio', codecs.audio || 'mp4a.40.2', null));
    }
    this.onLevelChange(first, true);
    this.listen(this.video, 'seeking', () => this.onSeeking());
    this.listen(this.video, 'timeupdate', () => this.pump());
    this.listen(this.video, 'waiting', () => this.skipGap());
    this.timer = window.setInterval(() => { this.skipGap(); this.pump(); }, TICK_MS);
    this.pump();
  }

  newTrack(kind, codecs, level) {
    const sourceBuffer = this.mediaSource.addSourceBuffer(mimeOf(codecs));
    return { kind, codecs, sourceBuffer, level, initKey: null, nextIndex: 0, busy: false, generation: 0,
      controller: null, failures: 0, switching: false, appendedLevels: [] };
  }

  listen(target, name, handler) {
    target.addEventListener(name, handler);
    this.listeners.push([target, name, handler]);
  }

  destroy() {
    this.destroyed = true;
    window.clearInterval(this.timer);
    for (const [target, name, handler] of this.listeners) target.removeEventListener(name, handler);
    for (const track of this.tracks) track.controller?.abort();
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
  }

  // -- quality ------------------------------------------------------------------------------------

  get currentLevel() {
    return this.tracks[0] ? this.tracks[0].level : -1;
  }

  initialLevel() {
    const index = this.levels.findIndex((level) => level.height >= 360);
    return index === -1 ? this.levels.length - 1 : index;
  }

  automaticLevel() {
    if (!this.bandwidth) return this.currentLevel;
    let chosen = 0;
    this.levels.forEach((level, index) => { if (level.bandwidth <= this.bandwidth * SAFETY) chosen = index; });
    return chosen;
  }

  /** `index` = a level, or -1 for automatic quality. A chosen level replaces what is buffered after the
   * segment being played, so the switch shows within one segment. What is buffered may be of another
   * level than the track's current one (an automatic switch keeps the segments already appended), so
   * the choice is compared with the segments, not with `level`. */
  async setLevel(index) {
    this.autoLevel = index === -1;
    const main = this.tracks[0];
    if (this.autoLevel || !main) return;
    main.switching = true;
    main.generation++;
    main.controller?.abort();
    try {
      await this.whenIdle(main);
      const playlist = await this.playlist(this.levels[index].uri);
      const playing = segmentIndexAt(playlist.segments, this.video.currentTime);
      const ahead = main.appendedLevels.slice(playing + 1);
      if (index !== main.level || ahead.some((level) => level !== undefined && level !== index)) {
        const keepUntil = playing + 1 < playlist.segments.length ? playlist.segments[playing + 1].time : playlist.duration;
        await this.update(main, () => main.sourceBuffer.remove(keepUntil, Infinity));
        main.appendedLevels.length = playing + 1;
        main.level = index;
        main.nextIndex = Math.min(playing + 1, playlist.segments.length);
      }
    } finally {
      main.switching = false;
    }
    this.onLevelChange(index, false);
    this.pump();
  }

  // -- loading --------------------------------------------------------------------------------------

  /** `url` (of the origin) from the copy number `index` (0: the origin itself). */
  sourceUrl(url, index) {
    if (index === 0 || !url.startsWith(`${this.originBase}/`)) return url;
    return this.mirrors[index - 1] + url.slice(this.originBase.length);
  }

  /** The response of whoever answers first, starting with the last one that did. */
  async fetchAnywhere(url, init = {}) {
    const count = 1 + this.mirrors.length;
    let failure = null;
    for (let attempt = 0; attempt < count; attempt++) {
      const index = (this.source + attempt) % count;
      try {
        const response = await fetch(this.withToken(this.sourceUrl(url, index)), init);
        if (response.ok) {
          this.source = index;
          return response;
        }
        failure = new Error(`${url}: HTTP ${response.status}`);
      } catch (error) {
        if (error.name === 'AbortError') throw error;
        failure = error;
      }
    }
    throw failure;
  }

  async fetchText(url) {
    return (await this.fetchAnywhere(url)).text();
  }

  playlist(uri) {
    if (!this.playlists.has(uri)) {
      const loading = this.fetchText(uri).then((text) => parseMedia(text, uri));
      loading.catch(() => this.playlists.delete(uri));
      this.playlists.set(uri, loading);
    }
    return this.playlists.get(uri);
  }

  trackPlaylist(track) {
    return this.playlist(track.kind === 'audio' ? this.audioUri : this.levels[track.level].uri);
  }

  /** `measure`: count the download in the throughput estimate (not the init sections: a kilobyte says
   * more about latency than about bandwidth). */
  async fetchRange(part, signal, measure = true) {
    const headers = part.start === undefined ? {} : { Range: `bytes=${part.start}-${part.end - 1}` };
    const started = performance.now();
    const response = await this.fetchAnywhere(part.url, { headers, signal });
    const data = await response.arrayBuffer();
    if (!measure) return data;
    const seconds = Math.max((performance.now() - started) / 1000, 0.001);
    const sample = (data.byteLength * 8) / seconds;
    this.bandwidth = this.bandwidth ? 0.7 * this.bandwidth + 0.3 * sample : sample;
    return data;
  }

  update(track, operation) {
    return new Promise((resolve, reject) => {
      const buffer = track.sourceBuffer;
      const done = () => { buffer.removeEventListener('error', failed); resolve(); };
      const failed = () => { buffer.removeEventListener('updateend', done); reject(new Error('SourceBuffer error')); };
      buffer.addEventListener('updateend', done, { once: true });
      buffer.addEventListener('error', failed, { once: true });
      try {
        operation();
      } catch (error) {
        buffer.removeEventListener('updateend', done);
        buffer.removeEventListener('error', failed);
        reject(error);
      }
    });
  }

  async whenIdle(track) {
    while (track.busy || track.sourceBuffer.updating) {
      await new Promise((resolve) => window.setTimeout(resolve, 20));
    }
  }

  pump() {
    if (this.destroyed || !this.mediaSource || this.mediaSource.readyState === 'closed') return;
    for (const track of this.tracks) this.pumpTrack(track);
  }

  async pumpTrack(track) {
    if (track.busy || track.switching || track.sourceBuffer.updating) return;
    track.busy = true;
    const generation = track.generation;
    try {
      await this.loadNext(track, generation);
      track.failures = 0;
    } catch (error) {
      if (error.name === 'QuotaExceededError') {
        await this.evict(track, 10).catch(() => {});
      } else if (error.name !== 'AbortError' && generation === track.generation && ++track.failures > MAX_RETRIES) {
        this.fail(error);
      }
    } finally {
      track.busy = false;
    }
  }

  async loadNext(track, generation) {
    const time = this.video.currentTime;
    const around = rangeAround(track.sourceBuffer.buffered, time);
    if (around && around.end - time >= BUFFER_AHEAD) return;
    if (track.kind === 'main' && this.autoLevel) {
      const wanted = this.automaticLevel();
      if (wanted !== track.level) await this.switchAutomatically(track, wanted);
    }
    const playlist = await this.trackPlaylist(track);
    if (track.nextIndex >= playlist.segments.length) {
      this.endWhenComplete();
      return;
    }
    if (around && around.start < time - BACK_BUFFER - 10) await this.evict(track, BACK_BUFFER);
    if (!playlist.init) throw new Error('an HLS rendition without an init section (#EXT-X-MAP)');
    const segmentIndex = track.nextIndex;
    const segment = playlist.segments[segmentIndex];
    const initKey = `${playlist.init.url}#${playlist.init.start}`;
    track.controller = new AbortController();
    if (track.initKey !== initKey) {
      const init = await this.fetchRange(playlist.init, track.controller.signal, false);
      if (generation !== track.generation) return;
      await this.update(track, () => track.sourceBuffer.appendBuffer(init));
      track.initKey = initKey;
    }
    const data = await this.fetchRange(segment, track.controller.signal);
    if (generation !== track.generation) return;
    await this.update(track, () => track.sourceBuffer.appendBuffer(data));
    track.appendedLevels[segmentIndex] = track.level;
    if (generation === track.generation) track.nextIndex++;
    window.setTimeout(() => this.pump(), 0);
  }

  /** Automatic switches keep what is buffered: the next segment comes from the new level. */
  async switchAutomatically(track, level) {
    const from = await this.trackPlaylist(track);
    const to = await this.playlist(this.levels[level].uri);
    const nextTime = track.nextIndex < from.segments.length ? from.segments[track.nextIndex].time : from.duration;
    track.level = level;
    track.nextIndex = nextTime >= to.duration ? to.segments.length : segmentIndexAt(to.segments, nextTime);
    this.onLevelChange(level, true);
  }

  async evict(track, keepSeconds) {
    const until = this.video.currentTime - keepSeconds;
    if (until > 0) await this.update(track, () => track.sourceBuffer.remove(0, until));
  }

  async endWhenComplete() {
    if (this.mediaSource.readyState !== 'open') return;
    const playlists = await Promise.all(this.tracks.map((t) => this.trackPlaylist(t)));
    // not while a track switches level: it is about to append again what it removed
    const complete = this.tracks.every((t, i) => t.nextIndex >= playlists[i].segments.length
      && !t.switching && !t.sourceBuffer.updating);
    if (complete && this.mediaSource.readyState === 'open') {
      try { this.mediaSource.endOfStream(); } catch { /* a track began updating meanwhile: next tick */ }
    }
  }

  // -- seeking and gaps -------------------------------------------------------------------------------

  async onSeeking() {
    const time = this.video.currentTime;
    for (const track of this.tracks) {
      const around = rangeAround(track.sourceBuffer.buffered, time);
      track.generation++;
      track.controller?.abort();
      const playlist = await this.trackPlaylist(track);
      track.nextIndex = around && around.end < playlist.duration - 0.1
        ? segmentIndexAt(playlist.segments, around.end + 0.1)
        : (around ? playlist.segments.length : segmentIndexAt(playlist.segments, time));
    }
    this.pump();
  }

  /** Jump over a small hole before buffered data (a first frame that starts a little after zero, or an
   * audio track that begins later than the video), which would otherwise stall playback. */
  skipGap() {
    const video = this.video;
    if (video.seeking || video.readyState >= 3) return;
    const buffered = video.buffered;
    for (let i = 0; i < buffered.length; i++) {
      const start = buffered.start(i);
      if (start > video.currentTime && start - video.currentTime < 1) {
        video.currentTime = start + 0.01;
        return;
      }
    }
  }

  fail(error) {
    if (this.destroyed) return;
    this.destroy();
    this.onFatal(error);
  }
}
