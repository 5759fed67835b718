// Watching reports, as PeerTube's player sends them: `POST /api/v1/videos/{id}/views` with the playhead
// position every `watchingInterval` ms while playing, a `seek` event after the viewer jumped, and a
// session id that stays the same for this browser tab (the server counts one view per viewer).

const SESSION_KEY = 'vidpub-player-session-id';

function sessionId() {
  try {
    let id = window.sessionStorage.getItem(SESSION_KEY);
    if (!id) {
      id = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
      window.sessionStorage.setItem(SESSION_KEY, id);
    }
    return id;
  } catch {
    return null; // storage refused (privacy settings): the server falls back to the address
  }
}

/** `Authorization` header of the signed-in viewer: pages that hand their script the page's OAuth token
 * do it in `<meta name="vidpub-access-token">` (the upload page does); watching reports then also
 * update the viewer's history, as in PeerTube. */
export function authorizationHeaders() {
  const token = document.querySelector('meta[name="vidpub-access-token"]')?.getAttribute('content');
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function reportViews(video, url, intervalMs) {
  const session = sessionId();
  let seeked = false;
  let timer = null;
  let lastSent = null;

  const send = () => {
    const body = { currentTime: Math.floor(video.currentTime) };
    if (seeked) body.viewEvent = 'seek';
    if (session) body.sessionId = session;
    if (lastSent === body.currentTime && !seeked) return;
    seeked = false;
    lastSent = body.currentTime;
    fetch(url, { method: 'POST', keepalive: true, body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...authorizationHeaders() } }).catch(() => {});
  };
  const stop = () => { window.clearInterval(timer); timer = null; };

  video.addEventListener('playing', () => {
    if (timer === null) {
      send();
      timer = window.setInterval(send, Math.max(intervalMs || 5000, 1000));
    }
  });
  video.addEventListener('seeked', () => { seeked = true; });
  video.addEventListener('pause', () => { stop(); send(); });
  video.addEventListener('ended', () => { stop(); send(); });
}
