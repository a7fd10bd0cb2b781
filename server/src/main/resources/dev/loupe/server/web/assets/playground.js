// The playground: a chat over POST /v1/responses with the image_search tool, streamed. The whole
// conversation is sent each turn (text only for earlier answers), so nothing depends on stored
// responses.
import { initKeyField, apiJson, apiFetch, readSse, showError, h, loadImage, dataUrl, changesText } from './api.js';

const $ = id => document.getElementById(id);
/** Earlier turns as Responses input items. */
let history = [];
/** Images to send with the next message: { label, url } with url an http(s) or data URL. */
let attachments = [];

initKeyField();
loadModels();

async function loadModels() {
  try {
    const models = await apiJson('/v1/models');
    $('model').replaceChildren(...models.data.map(m => h('option', { value: m.id }, m.id)));
  } catch (error) {
    $('model').replaceChildren(h('option', { value: 'builtin' }, 'builtin'));
    showError($('error'), error);
  }
}

$('images').addEventListener('change', async () => {
  for (const file of $('images').files) {
    attachments.push({ label: file.name, url: await dataUrl(file) });
  }
  $('images').value = '';
  renderAttachments();
});
$('add-link').addEventListener('click', () => {
  const url = $('image-link').value.trim();
  if (!url) return;
  attachments.push({ label: url, url });
  $('image-link').value = '';
  renderAttachments();
});
$('clear').addEventListener('click', () => {
  history = [];
  attachments = [];
  renderAttachments();
  $('chat').replaceChildren();
  showError($('error'), null);
});
$('prompt').addEventListener('keydown', event => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) $('composer').requestSubmit();
});
$('composer').addEventListener('submit', event => {
  event.preventDefault();
  send();
});

function renderAttachments() {
  $('attachments').replaceChildren(...attachments.map((a, i) => h('li', {},
    h('img', { src: a.url, alt: '' }),
    h('span', {}, a.label.length > 40 ? `${a.label.slice(0, 40)}…` : a.label),
    h('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove ${a.label}`,
      onclick: () => { attachments.splice(i, 1); renderAttachments(); } }, 'Remove'))));
}

async function send() {
  const text = $('prompt').value.trim();
  if (!text && !attachments.length) {
    showError($('error'), new Error('Write a message or add an image.'));
    return;
  }
  showError($('error'), null);
  const content = [];
  if (text) content.push({ type: 'input_text', text });
  for (const a of attachments) content.push({ type: 'input_image', image_url: a.url });
  const userItem = { role: 'user', content };
  $('chat').append(h('li', { class: 'turn user' },
    h('p', { class: 'who' }, 'You'),
    text ? h('p', {}, text) : null,
    attachments.map(a => h('img', { class: 'sent-image', src: a.url, alt: a.label }))));
  $('prompt').value = '';
  attachments = [];
  renderAttachments();

  const answer = h('li', { class: 'turn assistant' }, h('p', { class: 'who' }, $('model').value));
  const textNode = document.createTextNode('');
  const output = h('div', { class: 'answer' }, textNode);
  answer.append(output);
  $('chat').append(answer);
  $('send').disabled = true;
  let completed = null;
  try {
    const response = await apiFetch('/v1/responses', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: $('model').value, input: [...history, userItem], tools: [{ type: 'image_search' }], stream: true }),
    });
    const calls = new Map();
    await readSse(response, (name, event) => {
      switch (event.type) {
        case 'response.output_item.added':
        case 'response.output_item.done':
          if (event.item.type === 'image_search_call') {
            const call = calls.get(event.item.id) || toolCall();
            calls.set(event.item.id, call);
            answer.insertBefore(call.node, output);
            call.update(event.item);
          }
          break;
        case 'response.output_text.delta':
          // appendData, not textContent: the answer grows in place as the deltas arrive.
          textNode.appendData(event.delta);
          break;
        case 'response.completed':
          completed = event.response;
          break;
        case 'response.failed':
          throw new Error(event.response?.error?.message || 'The response failed.');
        case 'error':
          throw new Error(event.message || event.error?.message || 'The stream failed.');
        default:
          break;
      }
    });
    if (completed) {
      // In the next task, after anything observing the streamed text has seen it, show the links.
      const finished = textNode.data;
      setTimeout(() => linkify(output, finished), 0);
      answer.append(usageLine(completed.usage));
      history.push(userItem, { role: 'assistant', content: [{ type: 'output_text', text: textNode.data }] });
    }
  } catch (error) {
    answer.append(h('p', { class: 'error', role: 'alert' }, error.message));
  } finally {
    $('send').disabled = false;
  }
}

/** The tool call's box: "Searching by image…" while running, then its hits. */
function toolCall() {
  const status = h('p', { class: 'tool-status' });
  const list = h('ol', { class: 'tool-hits' });
  const node = h('section', { class: 'tool-call', 'aria-label': 'image_search call' },
    h('p', { class: 'tool-name' }, h('code', {}, 'image_search')), status, list);
  return {
    node,
    update(item) {
      node.dataset.status = item.status;
      if (item.status !== 'completed' && item.status !== 'failed') {
        status.textContent = 'Searching by image…';
        return;
      }
      let hits = [];
      try { hits = JSON.parse(item.output || '[]'); } catch { /* not JSON: shown as text below */ }
      status.textContent = item.status === 'failed' ? `Search failed: ${item.output || ''}`
        : `Found ${hits.length} image${hits.length === 1 ? '' : 's'}.`;
      list.replaceChildren(...(Array.isArray(hits) ? hits : []).slice(0, 6).map(hit => {
        const img = h('img', { alt: '', width: 48, height: 36 });
        if (hit.id) loadImage(img, `/v1/images/${hit.id}/thumbnail`);
        const changes = changesText(hit);
        return h('li', {}, img, h('span', {}, `${hit.title || 'Untitled'} `),
          h('span', { class: 'hint' }, `${hit.match}, ${Number(hit.score).toFixed(2)}${changes ? ` · ${changes}` : ''}`));
      }));
    },
  };
}

function usageLine(usage) {
  if (!usage) return null;
  const count = usage.x_tools?.image_search?.count ?? 0;
  return h('p', { class: 'usage' },
    `Tokens: ${usage.input_tokens} in, ${usage.output_tokens} out, ${usage.total_tokens} total · image_search calls: `,
    h('span', { class: 'tool-count' }, String(count)));
}

/**
 * Shows the finished answer with its Markdown links ([title](https://…)) as real links. Built from
 * text nodes and anchors, never HTML, so nothing in an answer or a title can inject markup; only
 * http(s) targets become links.
 */
function linkify(container, text) {
  const link = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(link)) {
    parts.push(document.createTextNode(text.slice(last, match.index)));
    parts.push(h('a', { href: match[2], rel: 'noopener noreferrer', target: '_blank' }, match[1]));
    last = match.index + match[0].length;
  }
  parts.push(document.createTextNode(text.slice(last)));
  container.replaceChildren(...parts);
}
