// The controls' icons as inline SVG: no font or image to load, and they render the same everywhere.

const SVG = 'http://www.w3.org/2000/svg';
const FILLED = {
  play: 'M8 5v14l11-7z',
  pause: 'M6 5h4v14H6zM14 5h4v14h-4z',
  volume: 'M3 9v6h4l5 5V4L7 9H3zM16.5 12A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z',
  muted: 'M3 9v6h4l5 5V4L7 9H3z',
};
const STROKED = {
  muted: 'M15 9l6 6M21 9l-6 6',
  fullscreen: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5',
  settings: 'M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9L7 7M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1',
  chapters: 'M4 6h16M4 12h16M4 18h16',
  link: 'M14 4h6v6M20 4l-9 9M18 14v6H4V6h6',
};

export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const add = (d, stroked) => {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', stroked ? 'none' : 'currentColor');
    if (stroked) {
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '2');
      path.setAttribute('stroke-linecap', 'round');
    }
    svg.append(path);
  };
  if (FILLED[name]) add(FILLED[name], false);
  if (STROKED[name]) add(STROKED[name], true);
  if (name === 'settings') {
    const circle = document.createElementNS(SVG, 'circle');
    for (const [k, v] of Object.entries({ cx: '12', cy: '12', r: '4', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' })) {
      circle.setAttribute(k, v);
    }
    svg.append(circle);
  }
  return svg;
}
