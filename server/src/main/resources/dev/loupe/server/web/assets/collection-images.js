// The collection page's image list: GET /v1/images a page at a time, each image with its thumbnail
// and every occurrence, filtered by a title word and a site, with a two-step delete.
import { apiJson, apiFetch, showError, h, loadImage, domainOf } from './api.js';

const $ = id => document.getElementById(id);
const PAGE = 24;
let nextOffset = 0;
let onChange = () => {};

/** Wires the list; {@code changed} runs after a delete (the counts above change). */
export function initImages(changed) {
  onChange = changed;
  $('images-filter').addEventListener('submit', event => {
    event.preventDefault();
    reload();
  });
  $('images-more').addEventListener('click', () => loadPage(false));
  reload();
}

export function reload() {
  nextOffset = 0;
  return loadPage(true);
}

function query(offset) {
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  const title = $('filter-title').value.trim();
  const domain = $('filter-domain').value.trim();
  if (title) params.set('title', title);
  if (domain) params.set('domain', domain);
  return params;
}

async function loadPage(replace) {
  try {
    const page = await apiJson('/v1/images?' + query(replace ? 0 : nextOffset));
    showError($('images-error'), null);
    const rows = page.data.map(row);
    if (replace) $('images').replaceChildren(...rows); else $('images').append(...rows);
    nextOffset = page.next_offset ?? -1;
    $('images-more').hidden = page.next_offset === null;
    const shown = $('images').children.length;
    $('images-count').textContent = page.total === 0 ? 'No images match.'
      : `Showing ${shown} of ${page.total.toLocaleString()} image${page.total === 1 ? '' : 's'}.`;
  } catch (error) {
    showError($('images-error'), error);
  }
}

function date(iso) {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

function occurrence(o) {
  const site = domainOf(o.page_url, o.url);
  const where = o.page_url ? h('a', { href: o.page_url, rel: 'noopener' }, site)
    : h('span', { class: 'hint' }, site === 'local' ? 'local file' : site);
  return h('li', { class: 'occurrence' }, h('span', { class: 'occ-title' }, o.title || 'untitled'), ' · ', where,
    ' · ', h('time', { datetime: o.first_seen }, date(o.first_seen)));
}

function row(image) {
  const img = h('img', { alt: '', width: 96, height: 72, loading: 'lazy' });
  loadImage(img, `/v1/images/${image.id}/thumbnail`);
  const remove = h('button', { type: 'button', class: 'delete' }, 'Delete');
  const item = h('li', { class: 'image-row', 'data-id': image.id }, img,
    h('div', { class: 'image-info' },
      h('p', { class: 'image-size' }, `${image.width}×${image.height} ${image.format}, first seen `,
        h('time', { datetime: image.first_seen }, date(image.first_seen)),
        `, ${image.occurrences.length} occurrence${image.occurrences.length === 1 ? '' : 's'}`),
      h('ul', { class: 'occurrences' }, ...image.occurrences.map(occurrence))),
    remove);
  remove.addEventListener('click', async () => {
    if (!remove.classList.contains('confirm')) {
      remove.classList.add('confirm');
      remove.textContent = 'Delete for good?';
      return;
    }
    remove.disabled = true;
    try {
      await apiFetch(`/v1/images/${image.id}`, { method: 'DELETE' });
      item.remove();
      await reload();
      onChange();
    } catch (error) {
      remove.disabled = false;
      showError($('images-error'), error);
    }
  });
  return item;
}
