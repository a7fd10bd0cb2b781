// What every page shares: the API key, API calls with errors in words, the SSE reader, and a few
// small DOM and formatting helpers. No framework: each page module imports what it needs.

const KEY_STORAGE = 'loupe.apiKey';

export function apiKey() {
  return localStorage.getItem(KEY_STORAGE) || '';
}

/** Wires the header's key field: stored in localStorage, sent as Authorization: Bearer. */
export function initKeyField() {
  const input = document.getElementById('api-key');
  const status = document.getElementById('api-key-status');
  if (!input) return;
  input.value = apiKey();
  const show = () => { status.textContent = apiKey() ? 'Key saved in this browser.' : 'No key: fine if the server has none.'; };
  show();
  input.addEventListener('keydown', event => {
    if (event.key === 'Enter') input.dispatchEvent(new Event('change'));
  });
  input.addEventListener('change', () => {
    const value = input.value.trim();
    if (value) localStorage.setItem(KEY_STORAGE, value); else localStorage.removeItem(KEY_STORAGE);
    show();
    input.closest('details').open = false;
  });
}

function headers(extra = {}) {
  const key = apiKey();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

/** An API failure: the envelope's error.message, with its status and code kept for the curious. */
export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** fetch() with the key; a non-2xx answer throws an ApiError carrying the envelope's message. */
export async function apiFetch(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: headers(options.headers) });
  } catch (e) {
    throw new ApiError(`Could not reach the server (${e.message}).`, 0, null);
  }
  if (!response.ok) {
    let message = `The server answered ${response.status} ${response.statusText}.`;
    let code = null;
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) {
        message = body.error.message;
        code = body.error.code;
      }
    } catch { /* not JSON: keep the status line */ }
    throw new ApiError(message, response.status, code);
  }
  return response;
}

export async function apiJson(path, options = {}) {
  return (await apiFetch(path, options)).json();
}

export function postJson(path, body) {
  return apiJson(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/**
 * Reads a text/event-stream body, calling onEvent(name, data) for each event whose data is JSON.
 * Comments (heartbeats) are skipped; a block may arrive split across chunks.
 */
export async function readSse(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
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

/** Shows an error in words in a role="alert" element; null clears it. */
export function showError(element, error) {
  element.hidden = !error;
  element.textContent = error ? (error.message || String(error)) : '';
}

/** document.createElement with attributes (on* as listeners) and children (strings or nodes). */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return node;
}

/**
 * Points img at a server image. With a key, <img src> cannot send it, so the bytes are fetched
 * with the key and shown from a blob URL. Only the path is used: thumbnail_url names the host the
 * request used, which may differ from this page's behind a proxy.
 */
export async function loadImage(img, url) {
  const path = new URL(url, location.href);
  const sameServer = path.pathname.startsWith('/v1/images/');
  if (!apiKey() || !sameServer) {
    img.src = sameServer ? path.pathname : url;
    return;
  }
  try {
    const response = await apiFetch(path.pathname);
    img.src = URL.createObjectURL(await response.blob());
  } catch {
    img.alt = `${img.alt} (not available)`;
  }
}

const CONTENT_LINK = /^\/v1\/images\/[0-9a-f]+\/content$/;

export function domainOf(...urls) {
  for (const url of urls) {
    if (!url) continue;
    try {
      const { protocol, hostname, pathname } = new URL(url);
      // A local file's url is this server's content link: the file has no site, not the server's host.
      if (CONTENT_LINK.test(pathname)) continue;
      if (protocol === 'http:' || protocol === 'https:') return hostname.replace(/^www\./, '');
    } catch { /* not a URL */ }
  }
  return 'local';
}

export function formatDate(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatBytes(bytes) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(unit && value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const MATCH_LABELS = {
  exact: 'Exact',
  near_duplicate: 'Copies',
  partial: 'Partial',
  similar: 'Similar',
};

/** How a verified copy differs from the query, as the API words it ("cropped to 42% of the image; mirrored"), or ''. */
export function changesText(hit) {
  return (hit.differences?.changes || []).join('; ');
}

/** Reads a File or Blob as a data: URL, for the Responses API's input_image. */
export function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}
