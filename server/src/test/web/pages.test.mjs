// Drives Loupe's web pages in headless Chromium against a live server (WebUiTest starts it) and
// prints one "ok - <check>" line per check; any failure prints "FAIL - ..." and exits 1.
//
// Environment: LOUPE_WEB_URL (the server), LOUPE_API_KEY, LOUPE_IMAGE_URL (a JPEG of the indexed
// harbour picture), LOUPE_FILES (a folder with query.jpg, tiny.png, new.jpg, side.jpg), LOUPE_CHROMIUM (the
// browser), LOUPE_SCREENSHOTS_DIR (optional: where to save screenshots).
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const base = process.env.LOUPE_WEB_URL;
const key = process.env.LOUPE_API_KEY;
const files = process.env.LOUPE_FILES;
const shots = process.env.LOUPE_SCREENSHOTS_DIR;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

const profile = mkdtempSync(join(tmpdir(), 'loupe-web-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.LOUPE_CHROMIUM,
  headless: true,
  viewport: DESKTOP,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
context.setDefaultTimeout(20_000);
const page = context.pages()[0] || await context.newPage();
const consoleErrors = [];
page.on('pageerror', error => consoleErrors.push(error.message));

function ok(check, detail) {
  console.log(detail ? `ok - ${check}: ${detail}` : `ok - ${check}`);
}

async function screenshot(name, viewport = DESKTOP) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.setViewportSize(viewport);
  await page.evaluate(() => document.activeElement?.blur());
  await page.waitForTimeout(150);
  // JPEG: the pictures in the results make PNGs of half a megabyte.
  await page.screenshot({ path: join(shots, `${name}.jpg`), type: 'jpeg', quality: 80, fullPage: viewport !== PHONE });
  await page.setViewportSize(DESKTOP);
}

/** Hits as rendered: kind, id, title and first-seen date, in page order. */
function hits() {
  return page.$$eval('.group', groups => groups.flatMap(group => [...group.querySelectorAll('.hit')].map(hit => ({
    kind: group.dataset.kind, id: hit.dataset.id, title: hit.querySelector('.hit-title').textContent,
    firstSeen: hit.dataset.firstSeen, domain: hit.querySelector('.domain').textContent,
  }))));
}

async function settled() {
  await page.waitForSelector('body:not([aria-busy])', { state: 'attached' });
}

try {
  // Pages load with no key; the key goes in through the header's field.
  for (const path of ['/', '/playground', '/collection']) {
    const response = await page.goto(base + path);
    assert.equal(response.status(), 200, path);
  }
  await page.goto(base + '/');
  await page.click('.key summary');
  await page.fill('#api-key', key);
  await page.press('#api-key', 'Tab');
  assert.equal(await page.evaluate(() => localStorage.getItem('loupe.apiKey')), key);
  ok('static pages load without a key');

  // Before any search, no empty results layout ("Your image" card) is shown.
  assert.equal(await page.isVisible('#results-layout'), false, 'results layout visible before a search');
  assert.equal(await page.isVisible('.query-image'), false, 'query card visible before a search');
  // A local file's url is the server's content link: it is "local", never the server's own host.
  const localDomain = await page.evaluate(async () => (await import('/assets/api.js'))
    .domainOf(null, `${location.origin}/v1/images/0123456789abcdef0123/content`));
  assert.equal(localDomain, 'local');
  ok('no result layout before a search; local files are not labelled with the server host');

  // Search by file, through the drop zone's file input (keyboard-focusable).
  await page.focus('#file');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'file');
  await page.setInputFiles('#file', join(files, 'query.jpg'));
  await page.waitForSelector('.group[data-kind=exact] .hit');
  await settled();
  let found = await hits();
  const kinds = [...new Set(found.map(hit => hit.kind))];
  assert.deepEqual(kinds, ['exact', 'near_duplicate', 'similar'].filter(k => kinds.includes(k)));
  assert.ok(kinds.includes('exact') && kinds.includes('near_duplicate') && kinds.includes('similar'), JSON.stringify(found));
  assert.equal(found[0].title, 'Harbour at dawn');
  assert.ok(await page.$eval('#query-preview', img => img.naturalWidth) === 640);
  const thumbs = await page.$$eval('.hit img', imgs => imgs.filter(img => img.complete && img.naturalWidth > 0).length);
  ok('search by file', `${found.length} hits in ${kinds.join(', ')}`);
  await page.waitForFunction(() => [...document.querySelectorAll('.hit img')].every(img => img.complete && img.naturalWidth > 0));
  void thumbs;
  await screenshot('search-desktop');
  await screenshot('search-phone', PHONE);

  // Provenance: every place a copy was seen, by date, the earliest and the largest marked; the
  // exact copy was seen on two pages, and not since on the first.
  const copies = found.filter(hit => hit.kind !== 'similar').length;
  await page.waitForFunction(n => document.querySelectorAll('#timeline li').length === n, copies + 1);
  const timeline = await page.$$eval('#timeline li', items => items.map(li => ({
    text: li.querySelector('button').textContent, badges: [...li.querySelectorAll('.badge')].map(b => b.textContent),
    seen: li.querySelector('.seen')?.textContent.trim() || '', gone: li.classList.contains('gone'),
  })));
  assert.deepEqual({ ...timeline[0], seen: undefined }, { text: 'Harbour at dawn, full size', badges: ['earliest', 'largest'], seen: undefined, gone: false });
  const gone = timeline.filter(t => t.gone);
  assert.deepEqual(gone.map(t => t.text), ['Harbour at dawn'], JSON.stringify(timeline));
  assert.match(gone[0].seen, /^· not seen since .*2021$/);
  assert.equal(timeline[timeline.length - 1].text, 'Harbour, mirrored', JSON.stringify(timeline));
  ok('provenance', timeline.map(t => t.text + (t.gone ? ' (gone)' : '')).join(' < '));

  // Sorting re-runs the search and changes the order.
  // Groups stay in kind order; the sort orders the hits inside each group.
  const order = async sort => {
    await page.selectOption('#sort', sort);
    await settled();
    const byKind = {};
    for (const hit of await hits()) (byKind[hit.kind] ||= []).push(hit.firstSeen);
    return byKind;
  };
  const relevance = (await hits()).map(hit => hit.id);
  const oldest = await order('oldest');
  const newest = await order('newest');
  for (const kind of Object.keys(oldest)) {
    assert.deepEqual(oldest[kind], [...oldest[kind]].sort(), `${kind}: oldest first`);
    assert.deepEqual(newest[kind], [...oldest[kind]].sort().reverse(), `${kind}: newest first`);
  }
  assert.notDeepEqual((await hits()).map(hit => hit.id), relevance);
  await order('largest');
  const sizes = await page.$$eval('.group[data-kind=similar] .hit-meta span:nth-child(2)',
    spans => spans.map(s => s.textContent.split(' × ').reduce((w, h) => w * h)));
  assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'largest first');
  // The flipped and shrunk copy differs more than the larger copy, which is only resized.
  await order('most_changed');
  const changed = (await hits()).filter(hit => hit.kind === 'near_duplicate').map(hit => hit.title);
  assert.deepEqual(changed, ['Harbour, flipped for a header', 'Harbour at dawn, full size'], 'most_changed');
  assert.deepEqual([...(await hits()).map(hit => hit.id)].sort(), [...relevance].sort(), 'most_changed keeps the hits');
  await order('relevance');
  assert.deepEqual((await hits()).map(hit => hit.id), relevance);
  ok('sort', `similar: oldest ${oldest.similar[0].slice(0, 10)}, newest ${newest.similar[0].slice(0, 10)}`);

  // The domain filter keeps one domain's hits and lists every domain still.
  const domains = await page.$$eval('#domain option', options => options.map(o => o.value).filter(Boolean));
  assert.ok(domains.includes('archive.example') && domains.includes('gallery.example'), domains.join());
  await page.selectOption('#domain', 'archive.example');
  await settled();
  found = await hits();
  assert.deepEqual(found.map(hit => hit.domain), ['archive.example']);
  assert.ok((await page.$$eval('#domain option', o => o.length)) === domains.length + 1);
  await page.selectOption('#domain', '');
  await settled();
  ok('domain filter', `${domains.length} domains`);

  // A hit opens its detail: occurrences with dates and pages, how it differs from the query.
  await page.click('.group[data-kind=near_duplicate] .hit:has-text("flipped")');
  await page.waitForSelector('#detail[open] .occurrences li');
  const detail = await page.$eval('#detail', d => d.textContent);
  assert.match(detail, /Seen 1 time/);
  assert.match(detail, /first seen/);
  assert.match(detail, /https:\/\/\w+\.example\//);
  // The flipped, smaller copy is aligned by keypoints: its verified changes are named.
  assert.match(detail, /Verified changes: .*mirrored.*resized/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#detail:not([open])', { state: 'attached' });
  ok('detail');

  // Search by URL: the server fetches the image itself.
  await page.goto(base + '/');
  await page.fill('#image-url', process.env.LOUPE_IMAGE_URL);
  await page.click('#search-url');
  await page.waitForSelector('.group[data-kind=exact] .hit');
  assert.equal((await hits())[0].title, 'Harbour at dawn');
  ok('search by URL');

  // Search by paste: a paste event whose clipboard holds an image file.
  await page.goto(base + '/');
  const jpeg = readFileSync(join(files, 'query.jpg')).toString('base64');
  await page.evaluate(data => {
    const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], 'pasted.jpg', { type: 'image/jpeg' }));
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, jpeg);
  await page.waitForSelector('.group[data-kind=exact] .hit');
  assert.equal((await hits())[0].title, 'Harbour at dawn');
  assert.ok((await page.$eval('#query-preview', img => img.src)).startsWith('blob:'));
  ok('search by paste');

  // An image the server refuses: the envelope's message, in words.
  const form = new FormData();
  form.append('file', new Blob([readFileSync(join(files, 'tiny.png'))], { type: 'image/png' }), 'tiny.png');
  const refused = await fetch(base + '/v1/images/search', { method: 'POST', body: form, headers: { Authorization: `Bearer ${key}` } });
  assert.equal(refused.status, 400);
  const message = (await refused.json()).error.message;
  await page.setInputFiles('#file', join(files, 'tiny.png'));
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.textContent('#error'), message);
  assert.ok(await page.$eval('#results-layout', el => el.hidden));
  ok('invalid image', message);

  // Words without an embedding model: the server's 400 naming the setting, shown as is.
  await page.goto(base + '/');
  await page.fill('#query-text', 'red');
  await page.click('#search-url');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /^text queries need an embedding model with a text tower/);
  await page.fill('#query-text', '');
  ok('text without a model');

  // A partial match: the harbour as the right half of a wider picture; pointing at the hit outlines
  // where it lies in the query.
  await page.goto(base + '/');
  await page.setInputFiles('#file', join(files, 'side.jpg'));
  await page.waitForSelector('.group:not([data-kind=similar]) .hit');
  await settled();
  assert.ok(await page.$eval('#query-region', el => el.hidden), 'no outline before pointing at a hit');
  await page.hover('.group:not([data-kind=similar]) .hit');
  const box = await page.$eval('#query-region', el => ({ hidden: el.hidden, left: parseFloat(el.style.left),
    top: parseFloat(el.style.top), width: parseFloat(el.style.width), height: parseFloat(el.style.height) }));
  assert.ok(!box.hidden, 'the outline shows');
  assert.ok(Math.abs(box.left - 50) < 4 && Math.abs(box.width - 50) < 4 && box.top < 4 && box.height > 94,
    `outline ${JSON.stringify(box)}`);
  await screenshot('search-partial');
  await page.mouse.move(0, 0);
  assert.ok(await page.$eval('#query-region', el => el.hidden), 'the outline hides again');
  ok('partial match outlined', `left ${box.left.toFixed(1)}%, width ${box.width.toFixed(1)}%`);

  // Phone width: nothing wider than the screen.
  await page.setInputFiles('#file', join(files, 'query.jpg'));
  await page.waitForSelector('.group[data-kind=exact] .hit');
  await page.setViewportSize(PHONE);
  for (const path of ['/', '/playground', '/collection']) {
    if (path !== '/') await page.goto(base + path);
    await page.waitForTimeout(100);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${path} is ${width} px wide at ${PHONE.width}`);
  }
  await page.setViewportSize(DESKTOP);
  ok('phone width');

  // Playground: the tool call shows, the answer streams in, usage counts one image_search call.
  await page.goto(base + '/playground');
  await page.waitForSelector('#model option[value=builtin]', { state: 'attached' });
  await page.setInputFiles('#images', join(files, 'query.jpg'));
  await page.waitForSelector('#attachments li');
  await page.fill('#prompt', 'Where else does this picture appear?');
  await page.evaluate(() => {
    // Records the answer's length at each change, and whether the tool call was there first.
    window.steps = [];
    new MutationObserver(records => {
      for (const record of records) {
        // oldValue is the text before this one append: it stays distinct even when several
        // deltas arrive in one network read and the records are delivered together.
        if (record.type === 'characterData' && record.oldValue !== null) {
          window.steps.push({ length: record.oldValue.length, tool: !!document.querySelector('.tool-call') });
        }
      }
    }).observe(document.getElementById('chat'),
      { subtree: true, characterData: true, characterDataOldValue: true, childList: true });
  });
  await page.click('#send');
  await page.waitForSelector('.usage .tool-count', { timeout: 60_000 });
  const steps = await page.evaluate(() => window.steps);
  const lengths = [...new Set(steps.map(s => s.length))];
  assert.ok(lengths.length >= 2, `the answer arrived in ${lengths.length} step(s)`);
  assert.ok(steps.every(s => s.tool), 'the tool call shows before the text');
  assert.equal(await page.textContent('.usage .tool-count'), '1');
  assert.equal(await page.$eval('.tool-call', el => el.dataset.status), 'completed');
  assert.match(await page.textContent('.tool-status'), /^Found \d+ images?\.$/);
  // The finished answer shows its Markdown links as links to the hits.
  await page.waitForSelector('.answer a');
  const links = await page.$$eval('.answer a', as => as.map(a => a.getAttribute('href')));
  assert.ok(links.length >= 1 && links.every(href => /^https?:\/\//.test(href)), `links: ${links}`);
  assert.ok(!(await page.textContent('.answer')).includes(']('), 'no Markdown link syntax left');
  await page.waitForFunction(() => [...document.querySelectorAll('.tool-hits img')].every(img => img.complete && img.naturalWidth > 0));
  await screenshot('playground-desktop');
  await screenshot('playground-phone', PHONE);
  ok('playground', `${steps.length} deltas, usage: ${await page.textContent('.usage')}`);

  // Collection: counts, then an upload with a title and a page URL.
  await page.goto(base + '/collection');
  await page.waitForSelector('[data-stat=images]');
  const before = Number((await page.textContent('[data-stat=images]')).replace(/\D/g, ''));
  await page.setInputFiles('#add-file', join(files, 'new.jpg'));
  await page.fill('#add-title', 'Lighthouse at noon');
  await page.fill('#add-page', 'https://upload.example/lighthouse');
  await page.click('#add-submit');
  await page.waitForFunction(() => document.getElementById('add-status').textContent.startsWith('Lighthouse at noon'));
  await page.waitForFunction(n => Number(document.querySelector('[data-stat=images]').textContent.replace(/\D/g, '')) === n + 1, before);
  assert.notEqual(await page.textContent('[data-stat="last commit"]'), 'never');
  // Sources: the sites images were seen on, now including the upload's page.
  await page.waitForFunction(() => [...document.querySelectorAll('#sources .domain')].some(d => d.textContent === 'upload.example'));
  const sources = await page.$$eval('#sources .domain', ds => ds.map(d => d.textContent));
  assert.ok(sources.includes('gallery.example'), `sources: ${sources}`);
  await page.waitForFunction(() => [...document.querySelectorAll('#added img')].every(img => img.complete && img.naturalWidth > 0));
  await screenshot('collection-desktop');
  await screenshot('collection-phone', PHONE);
  ok('collection', `${before} → ${before + 1} images`);

  // The image list: every image with its thumbnail and occurrences, filtered, then one deleted.
  await page.waitForFunction(n => document.querySelectorAll('#images .image-row').length === n, before + 1);
  assert.equal(await page.textContent('#images-count'), `Showing ${before + 1} of ${before + 1} images.`);
  const lighthouse = page.locator('#images .image-row', { hasText: 'Lighthouse at noon' });
  assert.equal(await lighthouse.locator('.occurrence a').textContent(), 'upload.example');
  await page.waitForFunction(() => [...document.querySelectorAll('#images img')].every(img => img.complete && img.naturalWidth > 0));
  const harbour = page.locator('#images .image-row', { hasText: 'Harbour at dawn' }).first();
  assert.ok((await harbour.locator('.occurrence').count()) >= 1);
  await page.fill('#filter-title', 'harbour');
  await page.click('#images-filter button');
  // The count already reads "Showing N of N" before the filter: wait for the filtered list itself.
  await page.waitForFunction(() => {
    const titles = [...document.querySelectorAll('#images .image-row .occ-title')].map(t => t.textContent);
    return titles.length > 0 && !titles.includes('Lighthouse at noon');
  });
  const filtered = await page.$$eval('#images .image-row .occ-title', ts => ts.map(t => t.textContent));
  assert.ok(filtered.length >= 1 && filtered.some(t => /harbour/i.test(t)), `filtered: ${filtered}`);
  assert.ok(!filtered.includes('Lighthouse at noon'), `filtered: ${filtered}`);
  await page.fill('#filter-title', '');
  await page.click('#images-filter button');
  await page.waitForFunction(n => document.querySelectorAll('#images .image-row').length === n, before + 1);
  await lighthouse.locator('.delete').click();
  assert.equal(await lighthouse.locator('.delete').textContent(), 'Delete for good?');
  await lighthouse.locator('.delete').click();
  await page.waitForFunction(n => document.querySelectorAll('#images .image-row').length === n, before);
  await page.waitForFunction(n => Number(document.querySelector('[data-stat=images]').textContent.replace(/\D/g, '')) === n, before);
  assert.equal(await page.locator('#images .image-row', { hasText: 'Lighthouse at noon' }).count(), 0);
  await screenshot('collection-list-desktop');
  ok('collection list', `filtered to ${filtered.length}, deleted one: ${before} images`);

  assert.deepEqual(consoleErrors, []);
} catch (error) {
  console.log(`FAIL - ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
