// Longshot page: library, upload, player, questions. Plain DOM; every piece of text from the server
// (file names, answers, quotes from videos) goes in through textContent, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { videos: [], current: null, evidence: [], pendingSeekMs: null, jobsSeen: new Set(), jobsReported: new Set(), uploads: new Map() };

/** Creates an element; children are nodes or strings (strings become text nodes). */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c != null) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

function formatTime(ms) {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const two = (n) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${two(Math.floor(s / 60))}:${two(s % 60)}`;
}

function apiKeyHeaders() {
  const key = localStorage.getItem('longshot.apiKey');
  return key ? { 'X-Api-Key': key } : {};
}

/** The key also goes into a same-site cookie, so that <video> and <img> (which send no headers) can load. */
function storeApiKey(key) {
  localStorage.setItem('longshot.apiKey', key);
  const value = key ? encodeURIComponent(key) : '';
  document.cookie = `longshot-api-key=${value}; path=/; SameSite=Strict${key ? '' : '; max-age=0'}`;
}

/** Fetches JSON; a problem-details reply becomes an Error carrying its detail. */
async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { ...(options.headers || {}), ...apiKeyHeaders() } });
  if (!res.ok) throw await problem(res);
  return res.status === 204 ? null : res.json();
}

async function problem(res) {
  try {
    const p = await res.json();
    return new Error(p.detail || p.title || `HTTP ${res.status}`);
  } catch (e) {
    return new Error(`HTTP ${res.status}`);
  }
}

// ---- library -------------------------------------------------------------------------------------------
async function loadVideos() {
  state.videos = await api('/api/videos');
  const list = $('videos');
  list.replaceChildren(...state.videos.map(videoItem));
  $('library-empty').hidden = state.videos.length > 0;
  if (!state.current && state.videos.length) selectVideo(state.videos[0].videoId);
}

function videoItem(v) {
  const counts = Object.entries(v.segmentCounts || {}).map(([m, n]) => `${n} ${m}`).join(', ');
  return el('li', { class: 'video' + (v.videoId === state.current ? ' current' : ''), dataset: { videoId: v.videoId } },
    el('button', { class: 'open', type: 'button', text: v.fileName || v.videoId, onclick: () => selectVideo(v.videoId) }),
    el('button', { class: 'ghost', type: 'button', text: 'Delete', title: 'Remove from the library', onclick: () => deleteVideo(v) }),
    el('span', { class: 'meta', text: `${formatTime(v.durationMillis)} · ${counts || 'no text found'}${v.playable ? '' : ' · file missing'}` }));
}

async function deleteVideo(v) {
  if (!confirm(`Remove "${v.fileName}" from the library? The file itself stays.`)) return;
  try {
    await api(`/api/videos/${encodeURIComponent(v.videoId)}`, { method: 'DELETE' });
    if (state.current === v.videoId) { state.current = null; $('player').removeAttribute('src'); }
    await loadVideos();
  } catch (e) {
    $('upload-status').textContent = e.message;
  }
}

function selectVideo(videoId, seekMs) {
  const v = state.videos.find((x) => x.videoId === videoId);
  if (!v) return;
  const player = $('player');
  if (state.current !== videoId) {
    state.current = videoId;
    state.pendingSeekMs = seekMs ?? null;
    showPlayerNote(v.playable ? null : v);
    if (v.playable) player.src = v.mediaUrl;
    else { player.removeAttribute('src'); player.load(); }
    $('now-playing').textContent = v.fileName || v.videoId;
    for (const li of $('videos').children) li.classList.toggle('current', li.dataset.videoId === videoId);
    drawMarkers();
  } else if (seekMs != null) {
    seekTo(seekMs);
  }
}

/**
 * Says under the player why video v cannot play and how to make it play again (null hides the note). Its
 * answers come from the stored evidence, so they keep working; ingesting the file again from its new place finds
 * the same content id and only records where the file now is.
 */
function showPlayerNote(v) {
  const note = $('player-note');
  note.textContent = v ? `"${v.fileName || v.videoId}" is no longer where it was ingested from, so it cannot play here; `
    + 'its answers and evidence still work. To play it, upload it again or ingest it from its new place '
    + '(the same content is not processed again).' : '';
  note.hidden = !v;
}

/** Seeks the player; before metadata is loaded the seek waits for it. */
function seekTo(ms) {
  const player = $('player');
  if (player.readyState >= 1) player.currentTime = ms / 1000;
  else state.pendingSeekMs = ms;
}

function jump(videoId, ms) {
  if (videoId && videoId !== state.current) selectVideo(videoId, ms);
  else seekTo(ms);
}

// ---- jobs and upload -----------------------------------------------------------------------------------
async function pollJobs() {
  let active = false;
  try {
    const jobs = await api('/api/jobs');
    const shown = jobs.filter((j) => j.state === 'QUEUED' || j.state === 'RUNNING' || (j.state === 'FAILED' && state.jobsSeen.has(j.jobId)));
    $('jobs').replaceChildren(...shown.map(jobItem));
    active = jobs.some((j) => j.state === 'QUEUED' || j.state === 'RUNNING');
    const finished = jobs.filter((j) => j.state === 'SUCCEEDED' && state.jobsSeen.has(j.jobId));
    const failed = jobs.filter((j) => j.state === 'FAILED' && state.jobsSeen.has(j.jobId) && !state.jobsReported.has(j.jobId));
    for (const j of jobs) if (j.state === 'QUEUED' || j.state === 'RUNNING') state.jobsSeen.add(j.jobId);
    for (const j of finished) state.jobsSeen.delete(j.jobId);
    for (const j of failed) state.jobsReported.add(j.jobId);
    if (finished.length) await loadVideos();
    for (const j of [...finished, ...failed]) reportJob(j);
  } catch (e) {
    // the next poll tries again
  }
  setTimeout(pollJobs, active ? 1000 : 4000);
}

/**
 * Says in the upload status how a job the page saw running ended. An unchanged one matched a video already in the
 * library (same content, perhaps under another name): it says which, since no new entry appears.
 */
function reportJob(j) {
  const status = $('upload-status');
  if (j.state === 'FAILED') {
    status.textContent = `Ingest of "${state.uploads.get(j.jobId) || j.fileName}" failed; the reason is below.`;
    return;
  }
  const given = state.uploads.get(j.jobId) || j.fileName; // an upload of stored content is named after the stored file
  const v = state.videos.find((x) => x.videoId === j.videoId);
  const name = v ? v.fileName || v.videoId : j.videoId;
  if (!j.unchanged) status.textContent = `Ingested "${given}"; ask away.`;
  else if (given === name) status.textContent = `"${given}" is already in the library (same content): nothing was processed again.`;
  else status.textContent = `"${given}" has the same content as "${name}", already in the library: nothing was processed again.`;
}

function jobItem(j) {
  const eta = j.etaSeconds != null ? ` · about ${formatTime(j.etaSeconds * 1000)} left` : '';
  const failed = j.state === 'FAILED';
  return el('li', { class: 'job' + (failed ? ' failed' : ''), dataset: { jobId: j.jobId, state: j.state } },
    el('div', { text: j.fileName || 'video' }),
    failed ? null : el('progress', { max: '100', value: String(j.percent) }),
    el('div', { class: 'muted', text: failed ? (j.error ? j.error.detail : j.message) : `${j.stage} · ${j.percent}%${eta}` }));
}

function upload(event) {
  event.preventDefault();
  const file = $('upload-file').files[0];
  const status = $('upload-status');
  if (!file) { status.textContent = 'Choose a video file first.'; return; }
  const bar = $('upload-progress');
  const body = new FormData();
  body.append('file', file);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/ingest');
  for (const [k, v] of Object.entries(apiKeyHeaders())) xhr.setRequestHeader(k, v);
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total); };
  xhr.onload = () => {
    bar.hidden = true;
    let reply = {};
    try { reply = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
    if (xhr.status === 202) {
      status.textContent = `Uploaded "${file.name}"; ingesting…`;
      state.jobsSeen.add(reply.jobId);
      state.uploads.set(reply.jobId, file.name);
      $('upload-form').reset();
    } else {
      status.textContent = reply.detail || `Upload failed (HTTP ${xhr.status})`;
    }
  };
  xhr.onerror = () => { bar.hidden = true; status.textContent = 'Upload failed: the server could not be reached.'; };
  bar.hidden = false;
  bar.value = 0;
  status.textContent = `Uploading "${file.name}"…`;
  xhr.send(body);
}

// ---- questions -----------------------------------------------------------------------------------------
async function ask(event) {
  event.preventDefault();
  const question = $('question').value.trim();
  if (!question) return;
  const params = new URLSearchParams({ question });
  if ($('only-current').checked && state.current) params.append('videoId', state.current);
  $('ask-button').disabled = true;
  $('ask-error').hidden = true;
  $('answer').hidden = false;
  $('answer').dataset.state = 'asking';
  renderAnswer('', []);
  $('answer-meta').textContent = 'Searching…';
  renderEvidence([]);
  let text = '';
  try {
    const res = await fetch(`/api/ask/stream?${params}`, { headers: { Accept: 'text/event-stream', ...apiKeyHeaders() } });
    if (!res.ok) throw await problem(res);
    await readEvents(res, (name, data) => {
      if (name === 'evidence') { renderEvidence(data); $('answer-meta').textContent = 'Answering…'; }
      else if (name === 'token') { text += data.text; renderAnswer(text, state.evidence); }
      else if (name === 'answer') {
        renderEvidence(data.evidence);
        renderAnswer(data.answer, data.evidence);
        $('answer-meta').textContent = `${data.evidence.length} pieces of evidence · ${data.backend} · ${data.elapsedMillis} ms`;
        $('answer').dataset.state = 'done';
      } else if (name === 'error') throw new Error(data.detail || 'Answering failed');
    });
  } catch (e) {
    $('answer').dataset.state = 'error';
    $('answer').hidden = true;
    $('ask-error').textContent = e.message;
    $('ask-error').hidden = false;
  } finally {
    $('ask-button').disabled = false;
  }
}

/** Reads a text/event-stream body and calls onEvent(name, parsedJson) for each event. */
async function readEvents(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

/**
 * Writes the answer as text, turning each mm:ss or h:mm:ss into a button that seeks the player to that moment of
 * the video its clause names ("at 00:22 and 01:10 in lecture.mp4, and at 00:22 in excerpt.mp4": up to the next
 * ", and at", ";" or ")"), else of the evidence starting or running then.
 */
function renderAnswer(text, evidence) {
  const out = $('answer-text');
  const parts = [];
  const pattern = /\b(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\b/g;
  let last = 0;
  let m;
  while ((m = pattern.exec(text)) !== null) {
    const ms = ((Number(m[1] || 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
    const rest = text.slice(m.index + m[0].length);
    const stop = rest.search(/, and at |;|\)/);
    const videoId = videoOf(ms, stop >= 0 ? rest.slice(0, stop) : rest, evidence);
    parts.push(text.slice(last, m.index));
    parts.push(el('button', { class: 'ts', type: 'button', text: m[0], dataset: { ms: String(ms), videoId },
      onclick: () => jump(videoId, ms) }));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  out.replaceChildren(...parts);
}

/**
 * The video a timestamp at ms points at: the one whose id, else file name, comes first in its clause (two files
 * of one name are cited with their ids), else the evidence starting or running then.
 */
function videoOf(ms, clause, evidence) {
  for (const key of ['videoId', 'fileName']) {
    let named = null;
    let at = Infinity;
    for (const e of evidence) {
      const i = e[key] ? clause.indexOf(e[key]) : -1;
      if (i >= 0 && i < at) { named = e.videoId; at = i; }
    }
    if (named) return named;
  }
  const source = evidence.find((e) => formatTime(e.startMillis) === formatTime(ms))
    || evidence.find((e) => e.startMillis <= ms + 999 && ms <= e.endMillis) || evidence[0];
  return source ? source.videoId : state.current;
}

function renderEvidence(evidence) {
  state.evidence = evidence;
  $('evidence').replaceChildren(...evidence.map((e) => el('article', { class: 'card', dataset: { videoId: e.videoId, ms: String(e.startMillis) } },
    e.keyframeUrl ? el('img', { src: e.keyframeUrl, alt: `Keyframe at ${formatTime(e.startMillis)}`, loading: 'lazy' }) : null,
    el('div', { class: 'body' },
      el('div', { class: 'head' },
        el('span', { class: `badge ${e.modality}`, text: e.modality }),
        el('button', { class: 'ts', type: 'button', text: `${formatTime(e.startMillis)}–${formatTime(e.endMillis)}`, onclick: () => jump(e.videoId, e.startMillis) }),
        el('span', { text: e.fileName || '' })),
      el('blockquote', { text: e.text })))));
  drawMarkers();
}

/** One dot on the player's timeline per piece of evidence in the video now loaded. */
function drawMarkers() {
  const duration = $('player').duration;
  const markers = state.evidence.filter((e) => e.videoId === state.current && Number.isFinite(duration) && duration > 0)
    .map((e) => el('button', { class: `marker ${e.modality}`, type: 'button', title: `${formatTime(e.startMillis)} ${e.modality}: ${e.text}`,
      style: `left: ${Math.min(100, (100 * e.startMillis) / 1000 / duration).toFixed(2)}%`, onclick: () => jump(e.videoId, e.startMillis) }));
  $('timeline').replaceChildren(...markers);
}

// ---- start ---------------------------------------------------------------------------------------------
function init() {
  const player = $('player');
  player.addEventListener('loadedmetadata', () => {
    if (state.pendingSeekMs != null) { player.currentTime = state.pendingSeekMs / 1000; state.pendingSeekMs = null; }
    drawMarkers();
  });
  player.addEventListener('seeked', () => { player.dataset.seekedTo = player.currentTime.toFixed(3); });
  player.addEventListener('error', () => { // the file went away since the library was listed
    const v = state.videos.find((x) => x.videoId === state.current);
    if (v && player.getAttribute('src')) showPlayerNote(v);
  });
  $('upload-form').addEventListener('submit', upload);
  $('ask-form').addEventListener('submit', ask);
  const key = $('api-key');
  key.value = localStorage.getItem('longshot.apiKey') || '';
  storeApiKey(key.value);
  key.addEventListener('change', () => {
    storeApiKey(key.value);
    loadVideos().catch((e) => { $('upload-status').textContent = e.message; });
  });
  loadVideos().catch((e) => { $('upload-status').textContent = e.message; });
  pollJobs();
}

document.addEventListener('DOMContentLoaded', init);
