// Vidpub's player: enhances every `[data-vidpub-player]` element rendered by `player/_player.html`.
// HLS through Media Source Extensions when the browser has it, else the web-video MP4 files; quality
// menu with automatic quality, WebVTT captions, chapters, start/stop times, keyboard, fullscreen and
// PeerTube's watching reports.

import { HlsPlayback, hlsSupported } from './mse-hls.js';
import { bindKeyboard, buildControls, element, rateChoices, showChapterMarkers } from './controls.js';
import { authorizationHeaders, reportViews } from './views.js';

const AUTO = -1;

/** PeerTube names a rendition by its smaller side (a portrait 1080x1920 video is "1080p"). */
function resolutionOf(level) {
  return level.width ? Math.min(level.width, level.height) : level.height;
}

class Player {
  constructor(root) {
    this.root = root;
    this.video = root.querySelector('video');
    this.config = JSON.parse(root.querySelector('script[data-player-config]').textContent);
    this.options = this.config.options || {};
    this.chapters = [];
    this.captionTracks = [];
    this.lastCaption = null;
    this.hls = null;
    this.webFiles = [...(this.config.webVideos || [])].sort((a, b) => a.height - b.height);
    this.webLevel = AUTO;
    this.fileToken = null;
  }

  async start() {
    const { video, options, config } = this;
    const withControls = options.controls !== false;
    // the markup's <source> and preload="none" are for browsers without JavaScript: from here on the
    // script picks the source (MediaSource or a chosen MP4) and lets it load
    for (const source of video.querySelectorAll('source')) source.remove();
    video.load(); // forgets the MP4 the markup selected, before preload would start fetching it
    video.preload = 'auto';
    video.controls = false;
    video.muted = !!options.muted;
    video.loop = !!options.loop;
    if (options.playbackRate) video.playbackRate = options.playbackRate;
    this.root.tabIndex = 0;
    if (withControls) this.ui = buildControls(this);
    bindKeyboard(config.embed ? document : this.root, this);
    if (options.stop) {
      // once, as PeerTube does: the viewer may play on past it
      const stopOnce = () => {
        if (video.currentTime < options.stop) return;
        video.pause();
        video.removeEventListener('timeupdate', stopOnce);
      };
      video.addEventListener('timeupdate', stopOnce);
    }
    if (options.nextUrl) video.addEventListener('ended', () => window.location.assign(options.nextUrl));
    reportViews(video, `/api/v1/videos/${config.uuid}/views`, config.watchingInterval);
    this.loadCaptions();
    this.loadChapters();
    try {
      if (config.privateFiles) this.fileToken = await this.requestFileToken();
      await this.loadMedia();
    } catch (error) {
      this.showMessage(`This video cannot be played: ${error.message}`);
      return;
    }
    if (options.autoplay) {
      video.play().catch(() => { /* refused without a gesture: the play button stays */ });
    }
  }

  // -- media -----------------------------------------------------------------------------------------

  withToken(url) {
    if (!this.fileToken) return url;
    const withParam = new URL(url, window.location.href);
    withParam.searchParams.set('videoFileToken', this.fileToken);
    return withParam.href;
  }

  async requestFileToken() {
    const headers = { ...authorizationHeaders() };
    if (this.config.password) headers['x-peertube-video-password'] = this.config.password;
    const response = await fetch(`/api/v1/videos/${this.config.uuid}/token`, { method: 'POST', headers });
    if (!response.ok) throw new Error('no access to the files');
    return (await response.json()).files.token;
  }

  async loadMedia() {
    const start = Number(this.options.start) || 0;
    if (this.config.isLive) throw new Error('live streams are not supported by this player yet');
    if (this.config.hlsUrl && hlsSupported()) {
      try {
        await this.startHls(start);
        return;
      } catch (error) {
        this.hls?.destroy();
        this.hls = null;
        if (!this.webFiles.length) throw error;
      }
    }
    if (!this.webFiles.length) {
      throw new Error(this.config.published ? 'it has no file this browser can play' : 'it is still being processed');
    }
    this.playWebVideo(this.automaticWebFile(), start, false);
  }

  async startHls(start) {
    this.root.dataset.mode = 'hls';
    if (start) this.video.addEventListener('loadedmetadata', () => { this.video.currentTime = start; }, { once: true });
    this.hls = new HlsPlayback(this.video, this.config.hlsUrl, {
      withToken: (url) => this.withToken(url),
      onLevelChange: (index) => { this.root.dataset.level = String(resolutionOf(this.hls.levels[index])); },
      onFatal: () => this.fallBackToWebVideo(),
      mirrors: this.config.hlsMirrors || [],
    });
    await this.hls.load();
  }

  fallBackToWebVideo() {
    this.hls = null;
    if (!this.webFiles.length) {
      this.showMessage('This video cannot be played in this browser.');
      return;
    }
    this.playWebVideo(this.automaticWebFile(), this.video.currentTime, !this.video.paused);
  }

  automaticWebFile() {
    const wanted = Math.max(this.video.clientHeight * (window.devicePixelRatio || 1), 360);
    const fitting = this.webFiles.filter((file) => file.height <= wanted);
    return fitting.length ? fitting[fitting.length - 1] : this.webFiles[0];
  }

  /** Web videos switch quality by changing the source, keeping the position and the playing state. */
  playWebVideo(file, time, playing) {
    const { video } = this;
    this.root.dataset.mode = 'web';
    this.root.dataset.level = String(file.height);
    this.currentWebFile = file;
    video.addEventListener('loadedmetadata', () => {
      if (time) video.currentTime = time;
      if (playing) video.play().catch(() => {});
    }, { once: true });
    video.src = this.withToken(file.url);
  }

  qualityChoices() {
    if (this.hls) {
      const auto = this.hls.autoLevel;
      const current = this.hls.currentLevel;
      const levels = this.hls.levels.map((level, index) => ({ label: `${resolutionOf(level)}p`, value: String(index),
        checked: !auto && index === current, apply: (value) => this.setQuality(Number(value)) }));
      const autoLabel = auto && current >= 0 ? `Auto (${resolutionOf(this.hls.levels[current])}p)` : 'Auto';
      return [...levels.reverse(), { label: autoLabel, value: String(AUTO), checked: auto,
        apply: () => this.setQuality(AUTO) }];
    }
    const levels = this.webFiles.map((file, index) => ({ label: `${file.height}p`, value: String(index),
      checked: this.webLevel === index, apply: (value) => this.setQuality(Number(value)) }));
    return [...levels.reverse(), { label: 'Auto', value: String(AUTO), checked: this.webLevel === AUTO,
      apply: () => this.setQuality(AUTO) }];
  }

  /** A level index (lowest resolution first) or AUTO. */
  setQuality(index) {
    if (this.hls) {
      this.hls.setLevel(index);
      this.root.dataset.auto = String(index === AUTO);
      return;
    }
    this.webLevel = index;
    this.root.dataset.auto = String(index === AUTO);
    const file = index === AUTO ? this.automaticWebFile() : this.webFiles[index];
    if (file && file !== this.currentWebFile) this.playWebVideo(file, this.video.currentTime, !this.video.paused);
  }

  settingsChoices() {
    return [{ heading: 'Quality' }, ...this.qualityChoices(), { heading: 'Speed' }, ...rateChoices(this.video)];
  }

  // -- captions and chapters -----------------------------------------------------------------------

  async loadCaptions() {
    const list = await this.fetchJson(`/api/v1/videos/${this.config.uuid}/captions`);
    for (const caption of list?.data || []) {
      const url = caption.fileUrl || caption.captionPath;
      if (!url) continue;
      const track = element('track', { kind: 'subtitles', src: url, srclang: caption.language.id,
        label: caption.language.label });
      this.video.append(track);
      this.captionTracks.push({ language: caption.language.id, label: caption.language.label, track: track.track });
    }
    for (const { track } of this.captionTracks) track.mode = 'disabled';
    if (this.ui && this.captionTracks.length) this.ui.captions.hidden = false;
    if (this.options.subtitle) this.setCaption(this.options.subtitle);
  }

  captionChoices() {
    const showing = this.captionTracks.find(({ track }) => track.mode === 'showing');
    return [{ label: 'Off', value: '', checked: !showing },
      ...this.captionTracks.map(({ language, label, track }) => ({ label, value: language, checked: track.mode === 'showing' }))];
  }

  setCaption(language) {
    for (const caption of this.captionTracks) {
      caption.track.mode = caption.language === language ? 'showing' : 'disabled';
    }
    if (language) this.lastCaption = language;
    this.root.dataset.caption = language || '';
    this.ui?.captions.setAttribute('aria-pressed', String(!!language));
  }

  toggleCaptions() {
    const showing = this.captionTracks.find(({ track }) => track.mode === 'showing');
    this.setCaption(showing ? '' : (this.lastCaption || this.captionTracks[0]?.language || ''));
  }

  async loadChapters() {
    const answer = await this.fetchJson(`/api/v1/videos/${this.config.uuid}/chapters`);
    this.chapters = (answer?.chapters || []).slice().sort((a, b) => a.timecode - b.timecode);
    if (!this.ui || !this.chapters.length) return;
    this.ui.chapters.hidden = false;
    showChapterMarkers(this.ui, this.chapters, this.duration());
    this.video.addEventListener('durationchange', () => showChapterMarkers(this.ui, this.chapters, this.duration()));
  }

  chapterAt(time) {
    let current = null;
    for (const chapter of this.chapters) if (chapter.timecode <= time) current = chapter;
    return current;
  }

  chapterChoices() {
    const current = this.chapterAt(this.video.currentTime);
    return this.chapters.map((chapter) => ({ label: `${chapter.title}`, value: String(chapter.timecode),
      checked: chapter === current }));
  }

  async fetchJson(path) {
    const headers = { ...authorizationHeaders() };
    if (this.config.password) headers['x-peertube-video-password'] = this.config.password;
    try {
      const response = await fetch(path, { headers });
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }

  // -- actions ------------------------------------------------------------------------------------------

  duration() {
    const own = this.video.duration;
    return Number.isFinite(own) && own > 0 ? own : (this.config.duration || 0);
  }

  togglePlay() {
    if (this.video.paused || this.video.ended) this.video.play().catch(() => {});
    else this.video.pause();
  }

  seekBy(seconds) {
    this.video.currentTime = Math.min(Math.max(0, this.video.currentTime + seconds), this.duration());
  }

  toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (this.root.requestFullscreen) {
      this.root.requestFullscreen().catch(() => {});
    } else if (this.video.webkitEnterFullscreen) {
      this.video.webkitEnterFullscreen(); // iOS Safari: only the video element goes fullscreen
    }
  }

  showMessage(text) {
    const message = element('div', { class: 'vp-message', role: 'alert' }, text);
    this.root.append(message);
  }
}

for (const root of document.querySelectorAll('[data-vidpub-player]')) {
  const player = new Player(root);
  root.vidpubPlayer = player;
  player.start();
}
