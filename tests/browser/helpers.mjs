// What the browser tests share: failing with a message, waiting for what a
// page can tell, collecting a page's errors, a screenshot on failure, and a
// static server for pages of another origin than Herald's.

import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
const FAILURE_SHOTS = join(HERE, 'screenshots');
// Microsoft's Web Chat bundle (full: with Adaptive Cards), which also defines
// WebChat.createDirectLine: directline.js as Web Chat ships it.
export const WEBCHAT_JS = join(HERE, 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');

export function fail(message) {
  throw new Error(message);
}

// Waits for a condition the page can tell, with a message for the failure.
export async function until(page, what, timeout, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  } catch (error) {
    fail(`${what} (not within ${timeout / 1000} s)`);
  }
}

// Page errors and console errors, printed when a test fails.
export function watch(page) {
  const log = [];
  page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) log.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('requestfailed', (request) => log.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`));
  return log;
}

export async function failureShot(page, name) {
  try {
    mkdirSync(FAILURE_SHOTS, { recursive: true });
    const path = join(FAILURE_SHOTS, `${name}-failure.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  } catch {
    return null;
  }
}

// A static server on an ephemeral loopback port (another origin than
// Herald's): `files` maps a path to [content type, body].
export function serve(files) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, 'http://x').pathname;
    const file = files[path];
    if (file) {
      response.writeHead(200, { 'Content-Type': file[0], 'Cache-Control': 'no-store' });
      response.end(file[1]);
    } else if (path === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
