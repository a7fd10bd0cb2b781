// Loupe's MCP server through the official MCP TypeScript SDK, as an agent's client would use it.
// LOUPE_MCP_URL + LOUPE_API_KEY: the streamable HTTP endpoint of a running `loupe serve`.
// LOUPE_MCP_COMMAND (a JSON array): the command that starts `loupe mcp` for the stdio transport.
// LOUPE_FILES: a folder with query.jpg (a copy of an indexed picture) and new.jpg (not indexed).
// Prints "ok - <check>" per check; any failure throws and exits non-zero.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const files = process.env.LOUPE_FILES;
const dataUrl = name => 'data:image/jpeg;base64,' + readFileSync(join(files, name)).toString('base64');
const ok = (name, detail = '') => console.log(`ok - ${name}${detail ? ': ' + detail : ''}`);
const errorOf = result => JSON.parse(result.content[0].text).error;

async function connect(transport) {
  const client = new Client({ name: 'loupe-test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** What both transports offer: search, get_image with its thumbnail, the resource and the prompt. */
async function common(client, query, transportName) {
  assert.equal(client.getServerVersion().name, 'loupe');
  const caps = client.getServerCapabilities();
  assert.ok(caps.tools && caps.resources && caps.prompts, JSON.stringify(caps));
  const tools = (await client.listTools()).tools;
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, 'object', tool.name);
    assert.equal(tool.outputSchema.type, 'object', tool.name);
  }
  const names = tools.map(t => t.name).sort();

  const found = await client.callTool({ name: 'image_search', arguments: { image: query, top_k: 5 } });
  assert.ok(!found.isError, JSON.stringify(found));
  const hits = found.structuredContent.results;
  assert.equal(hits[0].title, 'Harbour at dawn', JSON.stringify(hits));
  assert.ok(['exact', 'near_duplicate'].includes(hits[0].match), hits[0].match);
  for (const key of ['index', 'title', 'url', 'id', 'page_url', 'score', 'match', 'first_seen', 'width', 'height']) {
    assert.ok(key in hits[0], `hit field ${key}`);
  }
  assert.match(found.content[0].text, /Harbour at dawn/);
  const copies = await client.callTool({ name: 'image_search', arguments: { image: query, kinds: ['similar'], sort: 'oldest' } });
  assert.ok(copies.structuredContent.results.every(h => h.match === 'similar'), JSON.stringify(copies.structuredContent));
  ok(`${transportName}: image_search`, `${hits.length} hits, first ${hits[0].match} "${hits[0].title}"`);

  const image = await client.callTool({ name: 'get_image', arguments: { id: hits[0].id } });
  assert.ok(!image.isError, JSON.stringify(image));
  assert.equal(image.structuredContent.id, hits[0].id);
  assert.ok(image.structuredContent.occurrences.length >= 1);
  const thumb = image.content.find(c => c.type === 'image');
  assert.equal(thumb.mimeType, 'image/jpeg');
  assert.ok(Buffer.from(thumb.data, 'base64').subarray(0, 2).equals(Buffer.from([0xff, 0xd8])), 'a JPEG thumbnail');
  ok(`${transportName}: get_image`, `${image.structuredContent.occurrences.length} occurrence(s) and a thumbnail`);

  const stats = await client.callTool({ name: 'collection_stats', arguments: {} });
  assert.ok(stats.structuredContent.images >= 3, JSON.stringify(stats.structuredContent));
  ok(`${transportName}: collection_stats`, `${stats.structuredContent.images} images`);

  const templates = (await client.listResourceTemplates()).resourceTemplates;
  assert.deepEqual(templates.map(t => t.uriTemplate), ['loupe://image/{id}']);
  const resource = await client.readResource({ uri: `loupe://image/${hits[0].id}` });
  assert.equal(resource.contents[0].mimeType, 'application/json');
  assert.equal(JSON.parse(resource.contents[0].text).id, hits[0].id);
  assert.equal(resource.contents[1].mimeType, 'image/jpeg');
  await assert.rejects(client.readResource({ uri: 'loupe://image/nothing' }), /No image with id nothing/);
  ok(`${transportName}: resource loupe://image/{id}`);

  const prompts = (await client.listPrompts()).prompts;
  assert.deepEqual(prompts.map(p => p.name), ['trace_origin']);
  const prompt = await client.getPrompt({ name: 'trace_origin', arguments: { image: 'https://img.example/a.jpg' } });
  assert.match(prompt.messages[0].content.text, /image_search/);
  await assert.rejects(client.getPrompt({ name: 'trace_origin', arguments: {} }));
  ok(`${transportName}: prompt trace_origin`);

  // Bad arguments: the protocol's error for an unknown tool, tool errors with REST's codes otherwise.
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }));
  const badK = await client.callTool({ name: 'image_search', arguments: { image: query, top_k: 0 } })
    .catch(e => ({ rejected: e }));
  assert.ok(badK.rejected || badK.isError, JSON.stringify(badK));
  const missing = await client.callTool({ name: 'get_image', arguments: { id: 'nothing' } });
  assert.ok(missing.isError);
  assert.deepEqual(errorOf(missing), { code: 'not_found', message: 'No image with id nothing.' });
  const blocked = await client.callTool({ name: 'image_search', arguments: { image: 'http://127.0.0.1:9/x.jpg' } });
  assert.ok(blocked.isError);
  assert.equal(errorOf(blocked).code, 'invalid_image_url');
  assert.match(errorOf(blocked).message, /loopback; fetching private addresses is disabled/);
  const broken = await client.callTool({ name: 'image_search', arguments: { image: 'data:image/png;base64,iVBORw0KGgo=' } });
  assert.ok(broken.isError);
  ok(`${transportName}: errors`, `${errorOf(blocked).code}, ${errorOf(missing).code}, ${errorOf(broken).code}`);
  return names;
}

if (process.env.LOUPE_MCP_URL) {
  const url = new URL(process.env.LOUPE_MCP_URL);
  const headers = { Authorization: `Bearer ${process.env.LOUPE_API_KEY}` };
  await assert.rejects(connect(new StreamableHTTPClientTransport(url)), /invalid_api_key/);
  ok('http: no key, no session');

  const client = await connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  const names = await common(client, dataUrl('query.jpg'), 'http');
  assert.deepEqual(names, ['add_image', 'collection_stats', 'get_image', 'image_search']);

  const local = await client.callTool({ name: 'image_search', arguments: { image: join(files, 'query.jpg') } });
  assert.ok(local.isError);
  assert.equal(errorOf(local).code, 'invalid_image_url');
  assert.match(errorOf(local).message, /local paths and file: URLs are not accepted over HTTP/);
  const fileUrl = await client.callTool({ name: 'image_search', arguments: { image: 'file:///etc/passwd' } });
  assert.equal(errorOf(fileUrl).code, 'invalid_image_url');
  ok('http: a local path is refused');

  const before = (await client.callTool({ name: 'collection_stats', arguments: {} })).structuredContent.images;
  const added = await client.callTool({ name: 'add_image', arguments: {
    image: dataUrl('new.jpg'), title: 'A new picture', page_url: 'https://example.org/new' } });
  assert.ok(!added.isError, JSON.stringify(added));
  assert.equal(added.structuredContent.outcome, 'new_image');
  const after = (await client.callTool({ name: 'collection_stats', arguments: {} })).structuredContent.images;
  assert.equal(after, before + 1);
  const again = await client.callTool({ name: 'image_search', arguments: { image: dataUrl('new.jpg'), top_k: 1 } });
  assert.equal(again.structuredContent.results[0].id, added.structuredContent.id);
  assert.equal(again.structuredContent.results[0].page_url, 'https://example.org/new');
  ok('http: add_image', `${before} -> ${after} images`);
  await client.close();
}

if (process.env.LOUPE_MCP_COMMAND) {
  const [command, ...args] = JSON.parse(process.env.LOUPE_MCP_COMMAND);
  const transport = new StdioClientTransport({ command, args, env: process.env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', chunk => { stderr += chunk; });
  const client = await connect(transport);
  const names = await common(client, join(files, 'query.jpg'), 'stdio');
  assert.deepEqual(names, ['collection_stats', 'get_image', 'image_search']);
  const local = await client.callTool({ name: 'image_search', arguments: { image: join(files, 'query.jpg'), top_k: 1 } });
  assert.match(local.structuredContent.results[0].url, /^(https?:|loupe:\/\/image\/)/);
  ok('stdio: a local path is read');
  await client.close();
  void stderr;
}
