#!/usr/bin/env node
// serve.mjs: serves the web clients the way a Cascade node does, without a node, for
// trying the pages by hand and for selftest.mjs:
//
//   GET  /web/*                 files of clients/web
//   GET  /watch/{app}/{name}    player.html    (edge)
//   GET  /publish/{app}/{name}  publish.html   (origin)
//   POST /whep/..., /whip/...   503 application/problem+json: there is no media server here
//   DELETE /whep/..., /whip/... 200 (recorded in deletesSeen, for selftest.mjs)
//
// usage: node serve.mjs [--port 8099] [--host 127.0.0.1]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const WEB_ROOT = fileURLToPath(new URL('../web/', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

function problem(res, status, title, detail) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Access-Control-Allow-Origin': '*' });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

async function sendFile(res, file) {
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(body);
  } catch {
    problem(res, 404, 'Not Found', 'no such file');
  }
}

export const deletesSeen = [];

export function handle(req, res) {
  const url = new URL(req.url, 'http://x');
  const path = decodeURIComponent(url.pathname);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'POST, DELETE, PATCH, OPTIONS',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization', 'Access-Control-Expose-Headers': 'Location, ETag, Link',
    });
    res.end();
    return;
  }
  if (/^\/(whep|whip)\//.test(path) && req.method === 'DELETE') {
    deletesSeen.push(path);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
    res.end();
    return;
  }
  if (/^\/(whep|whip)\//.test(path)) {
    problem(res, 503, 'Service Unavailable', `serve.mjs serves the pages only; there is no ${path.slice(1, 5).toUpperCase()} endpoint here`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') { problem(res, 405, 'Method Not Allowed', `${req.method} ${path}`); return; }
  if (/^\/watch\/[^/]+\/[^/]+\/?$/.test(path)) { sendFile(res, join(WEB_ROOT, 'player.html')); return; }
  if (/^\/publish\/[^/]+\/[^/]+\/?$/.test(path)) { sendFile(res, join(WEB_ROOT, 'publish.html')); return; }
  if (path.startsWith('/web/')) {
    const file = normalize(join(WEB_ROOT, path.slice('/web/'.length)));
    if (!file.startsWith(WEB_ROOT.endsWith(sep) ? WEB_ROOT : WEB_ROOT + sep)) { problem(res, 403, 'Forbidden', path); return; }
    sendFile(res, file);
    return;
  }
  problem(res, 404, 'Not Found', `nothing at ${path}: try /watch/live/NAME or /publish/live/NAME`);
}

/** Starts the server; resolves to {server, url}. Port 0 picks a free port. */
export function startServer({ port = 0, host = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const server = createServer(handle);
    server.on('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      resolve({ server, url: `http://${host.includes(':') ? `[${host}]` : host}:${a.port}` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8099' }, host: { type: 'string', default: '127.0.0.1' } } });
  const { url } = await startServer({ port: Number(values.port), host: values.host });
  process.stdout.write(`serving ${WEB_ROOT} at ${url}/web/\n  player:  ${url}/watch/live/test\n  publish: ${url}/publish/live/test\n`);
}
