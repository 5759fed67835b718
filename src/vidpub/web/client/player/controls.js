// The player's controls, built with DOM calls (user text only ever goes through textContent).

import { icon } from './icons.js';

const IDLE_MS = 3000;
const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2];

export function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  if (text !== null) node.textContent = text;
  return node;
}

export function formatTime(seconds) {
  const total = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A button opening a menu of choices (`menuitemradio`); `items()` is read each time it opens. */
function menuButton(root, label, glyph, items, choose) {
  const button = element('button', { type: 'button', 'aria-label': label, title: label, 'aria-haspopup': 'menu',
    'aria-expanded': 'false', class: `vp-${label.toLowerCase().replace(/\W+/g, '-')}-button` });
  button.append(typeof glyph === 'string' ? document.createTextNode(glyph) : glyph);
  const menu = element('ul', { class: 'vp-menu', role: 'menu', 'aria-label': label, hidden: true });
  const close = () => { menu.hidden = true; button.setAttribute('aria-expanded', 'false'); };
  const open = () => {
    menu.replaceChildren();
    for (const item of items()) {
      if (item.heading) {
        const heading = element('li', { role: 'presentation' });
        heading.append(element('h3', {}, item.heading));
        menu.append(heading);
        continue;
      }
      const entry = element('li', { role: 'none' });
      const choice = element('button', { type: 'button', role: 'menuitemradio', 'aria-checked': String(!!item.checked),
        'data-value': item.value }, item.label);
      choice.addEventListener('click', () => { close(); choose(item.value, item); root.focus(); });
      entry.append(choice);
      menu.append(entry);
    }
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    menu.querySelector('[aria-checked="true"]')?.focus();
  };
  button.addEventListener('click', (event) => { event.stopPropagation(); menu.hidden ? open() : close(); });
  menu.addEventListener('keydown', (event) => { if (event.key === 'Escape') { close(); button.focus(); } });
  document.addEventListener('click', (event) => { if (!menu.contains(event.target)) close(); });
  root.append(menu);
  return button;
}

/** Builds the controls of `player` (see player.js) inside its root element. */
export function buildControls(player) {
  const { root, video, options, config } = player;
  const ui = {};

  if (options.title !== false) {
    const top = element('div', { class: 'vp-top' });
    const title = options.peertubeLink !== false && config.embed
      ? element('a', { href: config.watchUrl, target: '_blank', rel: 'noopener' }, config.name)
      : element('span', {}, config.name);
    top.append(title);
    root.append(top);
  }

  const bigPlay = element('button', { type: 'button', class: 'vp-big-play', 'aria-label': 'Play' });
  bigPlay.append(icon('play'));
  // the big button hides once playing: the keys then go to the player, not to the page
  bigPlay.addEventListener('click', () => { player.togglePlay(); root.focus({ preventScroll: true }); });
  root.append(bigPlay);

  const bar = element('div', { class: 'vp-bar' });
  const progress = element('div', { class: 'vp-progress' });
  ui.buffered = element('div', { class: 'vp-buffered' });
  ui.seek = element('input', { type: 'range', min: '0', max: String(config.duration || 0), step: '0.1', value: '0',
    'aria-label': 'Seek', class: 'vp-seek' });
  ui.seek.addEventListener('input', () => { video.currentTime = Number(ui.seek.value); });
  ui.markers = element('div', { class: 'vp-markers' });
  progress.append(ui.buffered, ui.seek, ui.markers);

  ui.play = element('button', { type: 'button', class: 'vp-play', 'aria-label': 'Play' });
  ui.play.addEventListener('click', () => player.togglePlay());
  ui.time = element('span', { class: 'vp-time', 'aria-live': 'off' }, `0:00 / ${formatTime(config.duration)}`);
  ui.chapter = element('span', { class: 'vp-chapter' });
  ui.mute = element('button', { type: 'button', class: 'vp-mute', 'aria-label': 'Mute', 'aria-pressed': 'false' });
  ui.mute.append(icon('volume'));
  ui.mute.addEventListener('click', () => { video.muted = !video.muted; });
  ui.volume = element('input', { type: 'range', min: '0', max: '1', step: '0.05', value: String(video.volume),
    'aria-label': 'Volume', class: 'vp-volume' });
  ui.volume.addEventListener('input', () => { video.volume = Number(ui.volume.value); video.muted = false; });

  ui.captions = menuButton(root, 'Subtitles', 'CC', () => player.captionChoices(), (value) => player.setCaption(value));
  ui.captions.hidden = true;
  ui.chapters = menuButton(root, 'Chapters', icon('chapters'), () => player.chapterChoices(), (value) => { video.currentTime = Number(value); });
  ui.chapters.hidden = true;
  ui.settings = menuButton(root, 'Settings', icon('settings'), () => player.settingsChoices(), (value, item) => item.apply(value));

  const right = [ui.captions, ui.chapters, ui.settings];
  if (config.embed && options.peertubeLink !== false) {
    const link = element('a', { href: config.watchUrl, target: '_blank', rel: 'noopener', class: 'vp-link',
      title: `Watch on ${config.instanceName}`, 'aria-label': `Watch on ${config.instanceName}` });
    link.append(icon('link'));
    right.push(link);
  }
  ui.fullscreen = element('button', { type: 'button', class: 'vp-fullscreen', 'aria-label': 'Fullscreen' });
  ui.fullscreen.append(icon('fullscreen'));
  ui.fullscreen.addEventListener('click', () => player.toggleFullscreen());
  right.push(ui.fullscreen);
  bar.append(progress, ui.play, ui.time, ui.chapter, ui.mute, ui.volume, ...right);
  root.append(bar);

  if (options.controlBar === false) bar.hidden = true;

  const refresh = () => {
    const playing = !video.paused && !video.ended;
    root.classList.toggle('vp-playing', playing);
    ui.play.replaceChildren(icon(playing ? 'pause' : 'play'));
    ui.play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
  };
  video.addEventListener('play', refresh);
  video.addEventListener('pause', refresh);
  video.addEventListener('ended', refresh);
  video.addEventListener('timeupdate', () => {
    if (document.activeElement !== ui.seek) ui.seek.value = String(video.currentTime);
    ui.time.textContent = `${formatTime(video.currentTime)} / ${formatTime(player.duration())}`;
    ui.chapter.textContent = player.chapterAt(video.currentTime)?.title || '';
    const ranges = video.buffered;
    const end = ranges.length ? ranges.end(ranges.length - 1) : 0;
    ui.buffered.style.width = `${Math.min(100, (100 * end) / (player.duration() || 1))}%`;
  });
  video.addEventListener('durationchange', () => { ui.seek.max = String(player.duration()); });
  video.addEventListener('volumechange', () => {
    ui.mute.setAttribute('aria-pressed', String(video.muted));
    ui.mute.replaceChildren(icon(video.muted || video.volume === 0 ? 'muted' : 'volume'));
    ui.mute.setAttribute('aria-label', video.muted ? 'Unmute' : 'Mute');
    ui.volume.value = String(video.muted ? 0 : video.volume);
  });
  video.addEventListener('click', () => { player.togglePlay(); root.focus({ preventScroll: true }); });
  video.addEventListener('dblclick', () => player.toggleFullscreen());

  let idleTimer = null;
  const wake = () => {
    root.classList.remove('vp-idle');
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(() => root.classList.add('vp-idle'), IDLE_MS);
  };
  root.addEventListener('mousemove', wake);
  root.addEventListener('keydown', wake);
  root.addEventListener('focusin', wake);
  refresh();
  return ui;
}

export function rateChoices(video) {
  return RATES.map((rate) => ({ label: rate === 1 ? 'Normal' : `${rate}×`, value: String(rate),
    checked: video.playbackRate === rate, apply: (value) => { video.playbackRate = Number(value); } }));
}

export function showChapterMarkers(ui, chapters, duration) {
  ui.markers.replaceChildren();
  if (!duration) return;
  for (const chapter of chapters) {
    if (chapter.timecode <= 0) continue;
    const marker = element('span', { class: 'vp-marker', title: chapter.title });
    marker.style.left = `${(100 * chapter.timecode) / duration}%`;
    ui.markers.append(marker);
  }
}

/** Keyboard shortcuts (YouTube's and PeerTube's usual ones). Keys meant for a focused control stay its own. */
export function bindKeyboard(target, player) {
  target.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const focused = event.target;
    const onControl = focused instanceof HTMLInputElement || focused instanceof HTMLButtonElement
      || focused instanceof HTMLAnchorElement;
    const { video } = player;
    const key = event.key;
    if (onControl && [' ', 'Enter'].includes(key)) return;
    if (focused instanceof HTMLInputElement && key.startsWith('Arrow')) return;
    let handled = true;
    if (key === ' ' || key === 'k') player.togglePlay();
    else if (key === 'ArrowLeft') player.seekBy(-5);
    else if (key === 'ArrowRight') player.seekBy(5);
    else if (key === 'j') player.seekBy(-10);
    else if (key === 'l') player.seekBy(10);
    else if (key === 'ArrowUp') video.volume = Math.min(1, video.volume + 0.1);
    else if (key === 'ArrowDown') video.volume = Math.max(0, video.volume - 0.1);
    else if (key === 'm') video.muted = !video.muted;
    else if (key === 'f') player.toggleFullscreen();
    else if (key === 'c') player.toggleCaptions();
    else if (key === 'Home') video.currentTime = 0;
    else if (key === 'End') video.currentTime = player.duration();
    else if (/^[0-9]$/.test(key)) video.currentTime = (player.duration() * Number(key)) / 10;
    else handled = false;
    if (handled) event.preventDefault();
  });
}
