// Test 3: directline.js (as Microsoft's Web Chat bundles it) when its token
// expires. Herald must answer the client's next poll 403 `TokenExpired`: that
// alone puts directline.js in its ExpiredToken state, where the embedding
// page gets a new token from its own server and calls reconnect(). The
// client then resumes from its watermark: what Herald sent while the client
// was locked out arrives once, nothing arrives twice.
//
// It needs a Herald whose tokens live 60 s (the shortest the setting allows)
// and that has a Direct Line secret, as a real host's token server does:
// HERALD_EXPIRY_URL and HERALD_EXPIRY_SECRET (.ci/run starts one).

import { readFileSync } from 'node:fs';

import { WEBCHAT_JS, fail, failureShot, serve, until, watch } from './helpers.mjs';

// directline.js's ConnectionStatus values.
const ONLINE = 2;
const EXPIRED_TOKEN = 3;
// Due after the 60 s token expired, so Herald sends it while the client is locked out.
const DELAY_SECS = 75;
const TASK = 'water the plants';

// What the page's own server does with the secret: the secret never reaches the page.
async function directLine(url, path, secret, method) {
  const response = await fetch(`${url}/v3/directline${path}`, {
    method,
    headers: { Authorization: `Bearer ${secret}` },
  });
  if (!response.ok) fail(`${method} ${path} with the secret answered ${response.status}`);
  return response.json();
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>directline.js × Herald</title></head>
<body><script src="/webchat.js"></script></body></html>`;

export async function tokenExpiry(context) {
  const url = (process.env.HERALD_EXPIRY_URL || '').replace(/\/+$/, '');
  const secret = process.env.HERALD_EXPIRY_SECRET || '';
  if (!url || !secret) return { skipped: 'HERALD_EXPIRY_URL and HERALD_EXPIRY_SECRET are not set' };
  const server = await serve({
    '/': ['text/html; charset=utf-8', PAGE],
    '/webchat.js': ['text/javascript; charset=utf-8', readFileSync(WEBCHAT_JS)],
  });
  const page = await context.newPage();
  const log = watch(page);
  try {
    const first = await directLine(url, '/tokens/generate', secret, 'POST');
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'load' });
    await page.evaluate(({ domain, token }) => {
      // Polling: the path on which directline.js reads a 403 as ExpiredToken.
      const line = window.WebChat.createDirectLine({ domain, token, webSocket: false, pollingInterval: 500 });
      window.line = line;
      window.statuses = [];
      window.activities = [];
      line.connectionStatus$.subscribe((status) => window.statuses.push(status));
      line.activity$.subscribe((a) => window.activities.push({ id: a.id, role: a.from?.role, text: a.text || '' }));
      window.send = (text) => line.postActivity({ type: 'message', from: { id: 'someone', role: 'user' }, text })
        .subscribe({ error: (error) => { window.sendError = String(error?.message || error); } });
    }, { domain: `${url}/v3/directline`, token: first.token });
    await until(page, 'directline.js did not get online with the token', 15_000,
      (online) => window.line.connectionStatus$.getValue() === online, ONLINE);

    const asked = Date.now();
    await page.evaluate((text) => window.send(text), `remind me in ${DELAY_SECS} seconds to ${TASK}`);
    await until(page, 'no answer to the reminder request', 15_000,
      (task) => window.activities.some((a) => a.role === 'bot' && a.text.includes(task)), TASK);

    await until(page, 'directline.js never entered ExpiredToken (Herald must answer an expired token 403 TokenExpired)',
      (first.expires_in + 20) * 1000,
      (expired) => window.line.connectionStatus$.getValue() === expired, EXPIRED_TOKEN);
    const locked = await page.evaluate(() => window.activities.length);

    // Wait out the reminder: Herald delivers it into the transcript meanwhile.
    const due = asked + (DELAY_SECS + 5) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    const stillLocked = await page.evaluate(() => window.activities.length);
    if (stillLocked !== locked) fail('activities arrived while the token was expired');

    // The page's server reconnects the conversation with the secret: a new token.
    const again = await directLine(url, `/conversations/${encodeURIComponent(first.conversationId)}`, secret, 'GET');
    if (again.token === first.token) fail('reconnecting gave the expired token back');
    await page.evaluate(({ conversationId, token, streamUrl }) => window.line.reconnect({ conversationId, token, streamUrl }), again);

    await until(page, 'after reconnect() the reminder sent meanwhile did not arrive', 15_000,
      (task) => window.activities.filter((a) => a.role === 'bot' && a.text.includes(task)).length >= 2, TASK);
    await page.evaluate(() => window.send('help'));
    await until(page, 'a message sent with the new token got no answer', 15_000,
      (n) => window.activities.slice(n).some((a) => a.role === 'bot'), stillLocked + 1);
    // Give a repeat the time to show.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const { activities, statuses, sendError } = await page.evaluate(() => ({
      activities: window.activities, statuses: window.statuses, sendError: window.sendError,
    }));
    if (sendError) fail(`a message could not be sent: ${sendError}`);
    const ids = activities.map((a) => a.id);
    if (new Set(ids).size !== ids.length) fail(`an activity arrived twice: ${ids.join(', ')}`);
    const reminders = activities.filter((a) => a.role === 'bot' && a.text.includes(TASK)).length;
    if (reminders !== 2) fail(`expected the answer and the reminder, got ${reminders} bot messages about "${TASK}"`);
    const expiredAt = statuses.indexOf(EXPIRED_TOKEN);
    if (expiredAt < 0 || statuses.lastIndexOf(ONLINE) < expiredAt) fail(`statuses went ${statuses.join(' → ')}`);

    return `directline.js polled into ExpiredToken on Herald's 403 TokenExpired after ${first.expires_in} s, ` +
      `reconnected with a new token and received the reminder sent meanwhile once (${activities.length} activities, none twice)`;
  } catch (error) {
    const shot = await failureShot(page, 'expiry');
    error.details = [...log, shot ? `screenshot: ${shot}` : ''].filter(Boolean);
    throw error;
  } finally {
    await page.close().catch(() => {});
    server.close();
  }
}
