// The search page: a query image from a file, a drop, a paste or a URL; hits grouped by match
// kind; sort and domain re-run the search; a hit opens its detail; the copies form a timeline.
import {
  initKeyField, apiJson, postJson, showError, h, loadImage, domainOf, formatDate, MATCH_LABELS, changesText,
} from './api.js';

const $ = id => document.getElementById(id);
const TOP_K = 50;
/** The current query: { file }, { url } or { text } alone, and its size once the preview has loaded. */
let query = null;
let querySize = null;
let domains = [];

initKeyField();
const fileInput = $('file');
const drop = $('drop');

fileInput.addEventListener('change', () => {
  if (fileInput.files.length) setQuery({ file: fileInput.files[0] });
});
drop.addEventListener('dragover', event => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', event => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = [...event.dataTransfer.files].find(f => f.type.startsWith('image/')) || event.dataTransfer.files[0];
  if (file) setQuery({ file });
});
document.addEventListener('paste', event => {
  const file = [...(event.clipboardData?.files || [])].find(f => f.type.startsWith('image/'));
  if (file) {
    event.preventDefault();
    setQuery({ file });
  }
});
$('query-form').addEventListener('submit', event => {
  event.preventDefault();
  const url = $('image-url').value.trim();
  const text = $('query-text').value.trim();
  if (url) {
    setQuery({ url });
  } else if (text && (!query || query.text !== undefined)) {
    setQuery({ text });
  } else if (query && query.text === undefined) {
    search(); // the same image, with (or without) the words
  } else {
    showError($('error'), new Error('Give an image URL or words, or choose, drop or paste an image.'));
  }
});
$('sort').addEventListener('change', () => search());
$('domain').addEventListener('change', () => search());

function setQuery(next) {
  query = next;
  querySize = null;
  domains = [];
  $('domain').value = '';
  const preview = $('query-preview');
  if (preview.src.startsWith('blob:')) URL.revokeObjectURL(preview.src);
  preview.onload = () => {
    querySize = { width: preview.naturalWidth, height: preview.naturalHeight };
    $('query-size').textContent = `${querySize.width} × ${querySize.height}`;
  };
  $('query-size').textContent = '';
  preview.hidden = next.text !== undefined;
  if (next.text === undefined) preview.src = next.file ? URL.createObjectURL(next.file) : next.url;
  search();
}

async function search() {
  if (!query) return;
  const sort = $('sort').value;
  const domain = $('domain').value;
  showError($('error'), null);
  $('status').textContent = 'Searching…';
  document.body.setAttribute('aria-busy', 'true');
  try {
    let body;
    const text = $('query-text').value.trim() || null;
    if (query.text !== undefined) {
      body = await postJson('/v1/images/search', { text: query.text, top_k: TOP_K, sort, domain: domain || null });
    } else if (query.file) {
      const form = new FormData();
      form.append('file', query.file, query.file.name || 'pasted-image');
      form.append('top_k', String(TOP_K));
      form.append('sort', sort);
      if (domain) form.append('domain', domain);
      if (text) form.append('text', text);
      body = await apiJson('/v1/images/search', { method: 'POST', body: form });
    } else {
      body = await postJson('/v1/images/search', { image_url: query.url, text, top_k: TOP_K, sort, domain: domain || null });
    }
    render(body.results);
    $('status').textContent = `${body.results.length} result${body.results.length === 1 ? '' : 's'}.`;
  } catch (error) {
    $('results-layout').hidden = true;
    $('status').textContent = '';
    showError($('error'), error);
  } finally {
    document.body.removeAttribute('aria-busy');
  }
}

function render(results) {
  $('results-layout').hidden = false;
  // The domain list comes from the unfiltered results, so that choosing one keeps the others.
  if (!$('domain').value) {
    domains = [...new Set(results.map(hit => domainOf(hit.page_url, hit.url)))].filter(d => d !== 'local').sort();
    $('domain').replaceChildren(h('option', { value: '' }, 'All domains'),
      ...domains.map(d => h('option', { value: d }, d)));
  }
  const groups = $('groups');
  groups.replaceChildren();
  if (!results.length) {
    groups.append(h('p', { class: 'empty' }, 'Nothing in the collection looks like this image.'));
  }
  for (const [kind, label] of Object.entries(MATCH_LABELS)) {
    const hits = results.filter(hit => hit.match === kind);
    if (!hits.length) continue;
    groups.append(h('section', { class: 'group', 'data-kind': kind, 'aria-label': label },
      h('h3', {}, `${label} `, h('span', { class: 'count' }, `(${hits.length})`)),
      h('ul', { class: 'hits' }, hits.map(hitCard))));
  }
  renderTimeline(results.filter(hit => hit.match !== 'similar'));
}

function hitCard(hit) {
  const img = h('img', { alt: '', loading: 'lazy', width: 160, height: 120 });
  loadImage(img, hit.thumbnail_url);
  const region = hit.differences && hit.differences.region;
  const show = region ? () => outline(region) : null;
  const hide = region ? () => outline(null) : null;
  return h('li', {},
    h('button', { type: 'button', class: 'hit', 'data-id': hit.id, 'data-first-seen': hit.first_seen, onclick: () => openDetail(hit),
      onmouseenter: show, onfocus: show, onmouseleave: hide, onblur: hide },
      img,
      h('span', { class: 'hit-title' }, hit.title || 'Untitled'),
      changesText(hit) ? h('span', { class: 'hit-changes' }, changesText(hit)) : null,
      h('span', { class: 'hit-meta' },
        h('span', { class: 'domain' }, domainOf(hit.page_url, hit.url)),
        h('span', {}, `${hit.width} × ${hit.height}`),
        h('span', { class: 'score', title: 'Score' }, hit.score.toFixed(2)))));
}

/** Bumped by each new timeline, so that sightings loaded for an older search are dropped. */
let timelineGeneration = 0;
/** At most this many copies have their sightings loaded for the timeline. */
const TIMELINE_COPIES = 20;

/**
 * The provenance timeline: every place each copy was seen, by the date it was first seen there.
 * It shows the copies at once, then each copy's sightings once /v1/images/{id} has answered: a
 * picture crawled twice shows the page it appeared on later, and the page it has not been seen on
 * since.
 */
function renderTimeline(copies) {
  const generation = ++timelineGeneration;
  $('provenance').hidden = copies.length === 0;
  if (!copies.length) return;
  const largest = copies.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  drawTimeline(copies.map(hit => ({ hit, first: hit.first_seen })), largest);
  const shown = copies.slice(0, TIMELINE_COPIES);
  Promise.all(shown.map(hit => apiJson(`/v1/images/${encodeURIComponent(hit.id)}`)
    .then(image => sightings(hit, image), () => [{ hit, first: hit.first_seen }])))
    .then(lists => {
      if (generation !== timelineGeneration) return;
      const rest = copies.slice(TIMELINE_COPIES).map(hit => ({ hit, first: hit.first_seen }));
      drawTimeline(lists.flat().concat(rest), largest);
    });
}

/**
 * One entry per occurrence of a copy. An occurrence whose last sighting is on an earlier day than
 * the copy's latest sighting elsewhere is "not seen since" (a later crawl found the copy, but not
 * there); sightings of one crawl or one import, seconds apart, are not told apart.
 */
function sightings(hit, image) {
  const latest = image.occurrences.reduce((a, o) => (o.last_seen > a ? o.last_seen : a), '');
  return image.occurrences.map(o => ({
    hit, first: o.first_seen, last: o.last_seen,
    gone: o.last_seen < latest && formatDate(o.last_seen) !== formatDate(latest),
    title: o.title, domain: domainOf(o.page_url, o.url),
  }));
}

function drawTimeline(entries, largest) {
  const byDate = [...entries].sort((a, b) => a.first.localeCompare(b.first));
  let largestShown = false;
  $('timeline').replaceChildren(...byDate.map((entry, i) => {
    const { hit } = entry;
    const isLargest = hit === largest && !largestShown;
    largestShown ||= isLargest;
    let seen = null;
    if (entry.gone) {
      seen = h('span', { class: 'seen gone' }, ` · not seen since ${formatDate(entry.last)}`);
    } else if (entry.last && formatDate(entry.last) !== formatDate(entry.first)) {
      seen = h('span', { class: 'seen' }, ` · last seen ${formatDate(entry.last)}`);
    }
    return h('li', { class: entry.gone ? 'gone' : null, 'data-first-seen': entry.first, 'data-last-seen': entry.last || null },
      h('time', { datetime: entry.first }, formatDate(entry.first)),
      h('button', { type: 'button', class: 'link', onclick: () => openDetail(hit) }, entry.title || hit.title || 'Untitled'),
      h('span', { class: 'hint' }, ` ${entry.domain || domainOf(hit.page_url, hit.url)} · ${hit.width} × ${hit.height}`),
      seen,
      i === 0 ? h('span', { class: 'badge earliest' }, 'earliest') : null,
      isLargest ? h('span', { class: 'badge largest' }, 'largest') : null);
  }));
}

/**
 * Outlines where a partial match lies in the query image (a collage tile, a picture in a
 * screenshot): the API gives the box in query pixels, drawn here as percentages of the preview.
 * Null hides it.
 */
function outline(region) {
  const box = $('query-region');
  if (!region || !querySize) {
    box.hidden = true;
    return;
  }
  box.style.left = `${(100 * region.x) / querySize.width}%`;
  box.style.top = `${(100 * region.y) / querySize.height}%`;
  box.style.width = `${(100 * region.width) / querySize.width}%`;
  box.style.height = `${(100 * region.height) / querySize.height}%`;
  box.hidden = false;
}

/** How a hit differs from the query, from what the API says: its match kind, then its verified changes or its size. */
function difference(hit) {
  const kind = {
    exact: 'The same pixels as your image.',
    near_duplicate: 'A copy of your image after edits that keep the whole picture (resizing, recompression, colour changes, borders, rotation, mirroring).',
    partial: 'One of the two images is a region of the other.',
    similar: 'Looks like your image, with no claim of being a copy.',
  }[hit.match] || '';
  if (hit.differences) {
    const changes = changesText(hit);
    return `${kind} ${changes ? `Verified changes: ${changes}.` : 'Verified: no change to framing, size, orientation or colour.'}`;
  }
  if (!querySize) return kind;
  const ratio = (hit.width * hit.height) / (querySize.width * querySize.height);
  const size = Math.abs(ratio - 1) < 0.01 ? 'Same size as your image.'
    : `${ratio > 1 ? 'Larger' : 'Smaller'} than your image (${hit.width} × ${hit.height} against ${querySize.width} × ${querySize.height}).`;
  return `${kind} ${size}`;
}

async function openDetail(hit) {
  const dialog = $('detail');
  const body = $('detail-body');
  body.replaceChildren(h('h2', { id: 'detail-title' }, hit.title || 'Untitled'), h('p', {}, 'Loading…'));
  dialog.showModal();
  try {
    const image = await apiJson(`/v1/images/${encodeURIComponent(hit.id)}`);
    const img = h('img', { alt: `Thumbnail of ${hit.title || 'the image'}`, class: 'detail-image' });
    loadImage(img, image.thumbnail_url);
    body.replaceChildren(
      h('h2', { id: 'detail-title' }, hit.title || 'Untitled'),
      h('div', { class: 'detail-top' }, img, h('dl', { class: 'facts' },
        h('dt', {}, 'Match'), h('dd', {}, `${MATCH_LABELS[hit.match] || hit.match}, score ${hit.score.toFixed(2)}`),
        h('dt', {}, 'Size'), h('dd', {}, `${image.width} × ${image.height} ${image.format.toUpperCase()}`),
        h('dt', {}, 'First seen'), h('dd', {}, formatDate(image.first_seen)),
        h('dt', {}, 'Differs'), h('dd', { class: 'difference' }, difference(hit)))),
      h('h3', {}, `Seen ${image.occurrences.length} time${image.occurrences.length === 1 ? '' : 's'}`),
      h('ul', { class: 'occurrences' }, image.occurrences.map(o => h('li', {},
        h('strong', {}, o.title || 'Untitled'),
        h('span', { class: 'hint' }, ` first seen ${formatDate(o.first_seen)}, last seen ${formatDate(o.last_seen)}`),
        o.page_url ? h('div', {}, 'Page: ', h('a', { href: o.page_url, rel: 'noopener noreferrer' }, o.page_url)) : null,
        o.url ? h('div', {}, 'Image: ', h('a', { href: o.url, rel: 'noopener noreferrer' }, o.url)) : null))));
  } catch (error) {
    body.replaceChildren(h('h2', { id: 'detail-title' }, hit.title || 'Untitled'),
      h('p', { class: 'error', role: 'alert' }, error.message));
  }
}

