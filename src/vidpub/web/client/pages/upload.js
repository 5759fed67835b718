// The upload page: PeerTube's resumable upload protocol from the browser (init with a JSON body, then
// chunks with Content-Range; 308 + Range while incomplete), a progress bar, pause/resume, and the
// video's processing state until it is published. Every call carries the page's OAuth token.
(function () {
  'use strict';

  var DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
  var POLL_INTERVAL_MS = 1000;
  var PUBLISHED = 1;
  var FAILED_STATES = [7, 5]; // transcoding failed, import failed

  var form = document.getElementById('upload-form');
  if (!form) return;
  var tokenMeta = document.querySelector('meta[name="vidpub-access-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute('content') : '';
  var endpoint = form.getAttribute('data-endpoint');

  var el = function (id) { return document.getElementById(id); };
  var statusBox = el('upload-status');
  var progress = el('upload-progress');
  var percent = el('upload-percent');
  var pauseButton = el('upload-pause');
  var resumeButton = el('upload-resume');
  var stateText = el('upload-state');
  var errorText = el('upload-error');

  var upload = null; // {file, url, offset, paused, xhr}

  function request(method, url, options) {
    options = options || {};
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader('Authorization', 'Bearer ' + token);
      var headers = options.headers || {};
      Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      if (options.onProgress) {
        xhr.upload.onprogress = function (event) { options.onProgress(event.loaded); };
      }
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.onabort = function () { resolve(xhr); };
      if (upload) upload.xhr = xhr;
      xhr.send(options.body === undefined ? null : options.body);
    });
  }

  function problemText(xhr) {
    try {
      var body = JSON.parse(xhr.responseText);
      if (body && (body.detail || body.error)) return body.detail || body.error;
    } catch (ignored) { /* not JSON */ }
    return xhr.status ? 'The server answered ' + xhr.status + ' ' + xhr.statusText : 'The connection was lost.';
  }

  function showError(message) {
    errorText.textContent = message;
    errorText.hidden = false;
    pauseButton.hidden = true;
    resumeButton.hidden = true;
    form.querySelector('button[type="submit"]').disabled = false;
  }

  function showProgress(sent) {
    var size = upload.file.size || 1;
    var value = Math.min(100, Math.floor((sent / size) * 100));
    progress.value = value;
    percent.textContent = value + '%';
  }

  function storedOffset(xhr) {
    // `Range: bytes=0-<last>` tells what the server already holds
    var range = xhr.getResponseHeader('Range');
    var match = range && /bytes=\d+-(\d+)/.exec(range);
    return match ? parseInt(match[1], 10) + 1 : 0;
  }

  function sameOriginPath(location) {
    var url = new URL(location, window.location.href);
    return url.pathname + url.search;
  }

  function sendChunks() {
    if (upload.paused) return;
    var size = upload.file.size;
    var first = upload.offset;
    // smaller chunks can be asked for with the form's `data-chunk-size` (tests pause between chunks)
    var chunkSize = parseInt(form.getAttribute('data-chunk-size'), 10) || DEFAULT_CHUNK_SIZE;
    var chunk = upload.file.slice(first, Math.min(first + chunkSize, size));
    var last = first + chunk.size - 1;
    request('PUT', upload.url, {
      headers: { 'Content-Range': 'bytes ' + first + '-' + last + '/' + size,
                 'Content-Type': 'application/octet-stream' },
      body: chunk,
      onProgress: function (loaded) { showProgress(first + loaded); }
    }).then(function (xhr) {
      if (upload.paused) return;
      if (xhr.status === 308) {
        upload.offset = storedOffset(xhr);
        showProgress(upload.offset);
        sendChunks();
      } else if (xhr.status === 200 || xhr.status === 201) {
        finished(JSON.parse(xhr.responseText).video);
      } else {
        showError(problemText(xhr));
      }
    });
  }

  function finished(video) {
    showProgress(upload.file.size);
    pauseButton.hidden = true;
    resumeButton.hidden = true;
    stateText.textContent = 'Uploaded. Processing the video…';
    el('upload-watch-link').href = '/w/' + video.shortUUID;
    pollState(video.uuid);
  }

  function pollState(uuid) {
    request('GET', '/api/v1/videos/' + encodeURIComponent(uuid)).then(function (xhr) {
      if (xhr.status !== 200) {
        showError(problemText(xhr));
        return;
      }
      var video = JSON.parse(xhr.responseText);
      if (video.state.id === PUBLISHED) {
        stateText.textContent = 'Published.';
        el('upload-done').hidden = false;
      } else if (FAILED_STATES.indexOf(video.state.id) >= 0) {
        showError('Processing failed: ' + video.state.label);
      } else {
        stateText.textContent = 'Processing: ' + video.state.label;
        window.setTimeout(function () { pollState(uuid); }, POLL_INTERVAL_MS);
      }
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = el('upload-file').files[0];
    if (!file) return;
    errorText.hidden = true;
    el('upload-done').hidden = true;
    statusBox.hidden = false;
    stateText.textContent = 'Uploading…';
    form.querySelector('button[type="submit"]').disabled = true;
    upload = { file: file, url: null, offset: 0, paused: false, xhr: null };
    showProgress(0);
    var body = {
      name: el('upload-name').value,
      channelId: parseInt(el('upload-channel').value, 10),
      privacy: parseInt(el('upload-privacy').value, 10),
      filename: file.name
    };
    var description = el('upload-description').value;
    if (description) body.description = description;
    request('POST', endpoint, {
      headers: { 'Content-Type': 'application/json',
                 'X-Upload-Content-Length': String(file.size),
                 'X-Upload-Content-Type': file.type || 'application/octet-stream' },
      body: JSON.stringify(body)
    }).then(function (xhr) {
      if ((xhr.status === 200 || xhr.status === 201) && xhr.getResponseHeader('Location')) {
        upload.url = sameOriginPath(xhr.getResponseHeader('Location'));
        pauseButton.hidden = false;
        sendChunks();
      } else {
        showError(problemText(xhr));
      }
    });
  });

  pauseButton.addEventListener('click', function () {
    if (!upload || !upload.url) return;
    upload.paused = true;
    if (upload.xhr) upload.xhr.abort();
    pauseButton.hidden = true;
    resumeButton.hidden = false;
    stateText.textContent = 'Paused.';
  });

  resumeButton.addEventListener('click', function () {
    if (!upload || !upload.url) return;
    upload.paused = false;
    resumeButton.hidden = true;
    pauseButton.hidden = false;
    stateText.textContent = 'Uploading…';
    // ask the server what it holds, then go on from there
    request('PUT', upload.url, { headers: { 'Content-Range': 'bytes */' + upload.file.size } }).then(function (xhr) {
      if (upload.paused) return;
      if (xhr.status === 308) {
        upload.offset = storedOffset(xhr);
        showProgress(upload.offset);
        sendChunks();
      } else if (xhr.status === 200 || xhr.status === 201) {
        finished(JSON.parse(xhr.responseText).video);
      } else {
        showError(problemText(xhr));
      }
    });
  });
}());
