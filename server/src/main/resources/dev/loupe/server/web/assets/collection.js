// The collection page: what the index holds (GET /v1/stats) and a form to add images.
import { initKeyField, apiJson, showError, h, loadImage, formatBytes } from './api.js';
import { initImages, reload as reloadImages } from './collection-images.js';

const $ = id => document.getElementById(id);

initKeyField();
loadStats();
initImages(loadStats);

async function loadStats() {
  try {
    const stats = await apiJson('/v1/stats');
    showError($('stats-error'), null);
    const rows = [
      ['Images', stats.images.toLocaleString()],
      ['Occurrences', stats.occurrences.toLocaleString()],
      ['Index size', formatBytes(stats.bytes_on_disk)],
      ['Segments', String(stats.segments)],
      ['Last commit', stats.last_commit ? new Date(stats.last_commit).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'never'],
    ];
    $('stats').replaceChildren(...rows.flatMap(([name, value]) =>
      [h('div', {}, h('dt', {}, name), h('dd', { 'data-stat': name.toLowerCase() }, value))]));
    $('sources').replaceChildren(...(stats.domains.length
      ? stats.domains.map(d => h('li', {}, h('span', { class: 'domain' }, d.domain), ' ',
        h('span', { class: 'count' }, `${d.images.toLocaleString()} image${d.images === 1 ? '' : 's'}`)))
      : [h('li', {}, 'Only local files so far.')]));
  } catch (error) {
    showError($('stats-error'), error);
  }
}

$('add-form').addEventListener('submit', async event => {
  event.preventDefault();
  const file = $('add-file').files[0];
  if (!file) {
    showError($('add-error'), new Error('Choose an image file to add.'));
    return;
  }
  const form = new FormData();
  form.append('file', file, file.name);
  if ($('add-title').value.trim()) form.append('title', $('add-title').value.trim());
  if ($('add-page').value.trim()) form.append('page_url', $('add-page').value.trim());
  showError($('add-error'), null);
  $('add-status').textContent = 'Adding…';
  $('add-submit').disabled = true;
  try {
    const added = await apiJson('/v1/images', { method: 'POST', body: form });
    const title = $('add-title').value.trim() || file.name;
    $('add-status').textContent = `${title}: ${added.outcome.replaceAll('_', ' ')}.`;
    const img = h('img', { alt: '', width: 64, height: 48 });
    loadImage(img, `/v1/images/${added.id}/thumbnail`);
    $('added').prepend(h('li', {}, img, h('span', {}, title), h('span', { class: 'hint' }, added.outcome.replaceAll('_', ' '))));
    $('add-form').reset();
    loadStats();
    reloadImages();
  } catch (error) {
    $('add-status').textContent = '';
    showError($('add-error'), error);
  } finally {
    $('add-submit').disabled = false;
  }
});
