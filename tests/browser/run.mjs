#!/usr/bin/env node
// Browser tests of Herald's web chat channel, in Debian's headless Chromium
// driven by playwright-core (which never downloads a browser of its own):
//
//   1. Herald's own page at HERALD_URL/: welcome, a reminder set by typing,
//      the reminder arriving by itself with its buttons, Snooze, and the
//      history shown again after a reload.
//   2. Microsoft's Web Chat (botframework-webchat, from node_modules) on a page
//      of another origin, talking to Herald's Direct Line endpoints: the same
//      reminder set and delivered, which checks Herald's protocol (and CORS)
//      against the client most bots are used with.
//   3. directline.js when its token expires (expiry.mjs): 403 TokenExpired,
//      ExpiredToken, reconnect() with a new token, nothing lost or repeated.
//
// Env: HERALD_URL (default http://127.0.0.1:3978), SCREENSHOT (a PNG path for
// the page right after the reminder arrived, for the README),
// HERALD_BROWSER_OPTIONAL=1 (no Chromium: skip instead of failing),
// CHROMIUM (default /usr/bin/chromium), ONLY=builtin|webchat|expiry (run one
// test), HERALD_EXPIRY_URL and HERALD_EXPIRY_SECRET (test 3: a Herald with
// 60 s tokens and a secret; without them test 3 is skipped and says so).

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { tokenExpiry } from './expiry.mjs';
import { WEBCHAT_JS, fail, failureShot, serve, until, watch } from './helpers.mjs';
const HERALD_URL = (process.env.HERALD_URL || 'http://127.0.0.1:3978').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT = process.env.SCREENSHOT || '';
const ONLY = process.env.ONLY || '';

const REMINDER = 'remind me in 5 seconds to stretch';
// An 8×8 blue PNG (made for this test), sent through Web Chat's upload button.
const PHOTO = {
  name: 'photo.png',
  mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGPQyr+CFTEMLQkAfVVbQZotL00AAAAASUVORK5CYII=', 'base64'),
};
// Herald answers a snooze with "I'll remind you again in 10 minutes …" (or
// its pt/fr wording); accept any of the words, or a clock time.
const SNOOZED = /snooz|adiad|report|again|\d{1,2}:\d{2}/i;

if (!existsSync(CHROMIUM)) {
  if (process.env.HERALD_BROWSER_OPTIONAL === '1') {
    console.log(`SKIPPED: no Chromium at ${CHROMIUM}`);
    process.exit(0);
  }
  console.error(`FAIL: no Chromium at ${CHROMIUM} (apt-get install chromium, or set HERALD_BROWSER_OPTIONAL=1 to skip)`);
  process.exit(1);
}

const { chromium } = await import('playwright-core');

// ------------------------------------------------------------------ launch

async function launch() {
  // A fresh profile per run: no saved conversation, no cache, no prompts.
  const profile = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 480, height: 760 },
    locale: 'en-US',
    timezoneId: 'Europe/Lisbon',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------ test 1: Herald's own page

async function builtinPage(context) {
  const page = await context.newPage();
  const log = watch(page);
  try {
    await page.goto(HERALD_URL + '/', { waitUntil: 'domcontentloaded' });

    const botText = () => Array.from(document.querySelectorAll('#transcript .message[data-role="bot"]'), (m) => m.textContent);
    await until(page, 'the welcome: no bot message appeared', 15_000,
      () => document.querySelector('#transcript .message[data-role="bot"]'));
    await until(page, 'the send box stayed disabled', 10_000, () => !document.querySelector('#input').disabled);

    const before = await page.evaluate(() => document.querySelectorAll('#transcript .message[data-role="bot"]').length);
    await page.fill('#input', REMINDER);
    await page.press('#input', 'Enter');

    // Herald's answer ("I'll remind you in 5 seconds …: stretch"), without buttons.
    await until(page, 'the bot did not answer the reminder with a message containing "stretch"', 15_000,
      (n) => Array.from(document.querySelectorAll('#transcript .message[data-role="bot"]')).slice(n)
        .some((m) => /stretch/i.test(m.textContent) && !m.querySelector('button.card-action')), before);

    // The user's message shows once, settled by its echo (it has an id).
    await until(page, 'the user\'s message was not echoed back (still pending, or shown twice)', 10_000,
      (text) => {
        const mine = Array.from(document.querySelectorAll('#transcript .message[data-role="user"]'))
          .filter((m) => m.textContent.includes(text));
        return mine.length === 1 && mine[0].dataset.activityId && !mine[0].classList.contains('pending');
      }, REMINDER);

    // The reminder itself comes by itself: no click, no typing.
    await until(page, 'the proactive reminder (a bot message with "stretch" and buttons) did not arrive', 30_000,
      () => Array.from(document.querySelectorAll('#transcript .message[data-role="bot"]'))
        .some((m) => /stretch/i.test(m.textContent) && m.querySelector('button.card-action')));
    await page.waitForTimeout(300); // let the scroll settle for the picture
    if (SCREENSHOT) {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }

    const ids = await page.$$eval('#transcript .message[data-activity-id]', (ms) => ms.map((m) => m.dataset.activityId));
    if (new Set(ids).size !== ids.length) fail(`an activity is shown twice: ${ids.join(', ')}`);

    // Snooze: the card's buttons are disabled and Herald confirms.
    const reminder = page.locator('#transcript .message[data-role="bot"]')
      .filter({ hasText: /stretch/i })
      .filter({ has: page.locator('button.card-action') })
      .last();
    const snooze = reminder.locator('button.card-action').filter({ hasText: /^\s*Snooze/ }).first();
    if (!(await snooze.count())) fail('the reminder has no button starting with "Snooze"');
    const botsBefore = await page.evaluate(() => document.querySelectorAll('#transcript .message[data-role="bot"]').length);
    await snooze.click();
    await until(page, 'the card\'s buttons were not disabled after the click', 5_000,
      () => {
        const cards = document.querySelectorAll('#transcript .card');
        const last = cards[cards.length - 1];
        return last && Array.from(last.querySelectorAll('button.card-action')).every((b) => b.disabled);
      });
    await until(page, 'no bot reply confirming the snooze', 15_000,
      ([n, pattern]) => Array.from(document.querySelectorAll('#transcript .message[data-role="bot"]')).slice(n)
        .some((m) => new RegExp(pattern, 'i').test(m.textContent)), [botsBefore, SNOOZED.source]);

    // See it again: with a one-minute snooze button (CI starts Herald with
    // HERALD__CHAT__SNOOZE_MINUTES=[1,60]) the reminder comes back by itself.
    const label = (await snooze.textContent()).trim();
    let snoozedAgain = '';
    if (/^Snooze 1 min$/.test(label)) {
      await until(page, 'the snoozed reminder did not come back within 90 s', 90_000,
        (n) => Array.from(document.querySelectorAll('#transcript .message[data-role="bot"]')).slice(n)
          .some((m) => /stretch/i.test(m.textContent) && m.querySelector('button.card-action:not([disabled])')), botsBefore);
      snoozedAgain = ' and back a minute later';
    } else {
      console.log(`     note: the first snooze button is "${label}"; run Herald with HERALD__CHAT__SNOOZE_MINUTES=[1,60] to see the reminder come back`);
    }

    // History: a reload shows the same conversation again.
    const transcript = await page.evaluate(botText);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await until(page, 'after a reload the history is missing (the answer and the reminder)', 15_000,
      () => {
        const bots = Array.from(document.querySelectorAll('#transcript .message[data-role="bot"]'));
        const answer = bots.some((m) => /stretch/i.test(m.textContent) && !m.querySelector('button.card-action'));
        const fired = bots.some((m) => /stretch/i.test(m.textContent) && m.querySelector('button.card-action'));
        return answer && fired;
      });
    await until(page, 'after a reload the user\'s message is missing or shown twice', 5_000,
      (text) => Array.from(document.querySelectorAll('#transcript .message[data-role="user"]'))
        .filter((m) => m.textContent.includes(text)).length === 1, REMINDER);
    const again = await page.evaluate(botText);
    if (again.length < transcript.length) {
      fail(`after a reload ${again.length} bot messages are shown, before it ${transcript.length}`);
    }
    const ids2 = await page.$$eval('#transcript .message[data-activity-id]', (ms) => ms.map((m) => m.dataset.activityId));
    if (new Set(ids2).size !== ids2.length) fail(`after a reload an activity is shown twice: ${ids2.join(', ')}`);
    return `welcome, reminder answered, delivered by itself with buttons, snoozed${snoozedAgain}, ${again.length} bot messages again after a reload`;
  } catch (error) {
    const shot = await failureShot(page, 'builtin');
    error.details = [...log, shot ? `screenshot: ${shot}` : ''].filter(Boolean);
    throw error;
  } finally {
    await page.close().catch(() => {});
  }
}

// ------------------------------------------- test 2: Microsoft's Web Chat

function webChatPage(heraldUrl) {
  // JSON inside <script>: escape "<" so no value can close the element.
  const config = JSON.stringify({ herald: heraldUrl }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Web Chat × Herald</title>
<style>html, body, #webchat { height: 100%; margin: 0; font-family: system-ui, sans-serif; }</style>
</head>
<body>
<div id="webchat" role="main"></div>
<script src="/webchat.js"></script>
<script>
// For the test: the text of each bot activity in Web Chat's transcript.
window.heraldBotTexts = () => Array.from(document.querySelectorAll('.webchat__basic-transcript__activity'))
  .filter((a) => a.querySelector('.webchat__bubble') && !a.querySelector('.webchat__bubble--from-user'))
  .map((a) => a.textContent);
(async () => {
  const { herald } = ${config};
  // Web Chat reserves dl_ ids for ids embedded in a token: use another prefix.
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const userID = 'webchat_' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  // On loopback Herald hands out a token without a secret.
  const response = await fetch(herald + '/v3/directline/tokens/generate', { method: 'POST' });
  if (!response.ok) throw new Error('tokens/generate answered ' + response.status);
  const { token, conversationId } = await response.json();
  if (!token) throw new Error('tokens/generate gave no token');
  window.heraldConversationId = conversationId;
  const directLine = window.WebChat.createDirectLine({ domain: herald + '/v3/directline', token, webSocket: true });
  window.heraldDirectLine = directLine;
  window.WebChat.renderWebChat({ directLine, userID, locale: 'en-US' }, document.getElementById('webchat'));
})().catch((error) => { window.heraldError = String(error && error.message || error); });
</script>
</body>
</html>`;
}

// The page, and the bundle it loads, from another origin than Herald's.
function serveWebChat() {
  return serve({
    '/': ['text/html; charset=utf-8', webChatPage(HERALD_URL)],
    '/webchat.js': ['text/javascript; charset=utf-8', readFileSync(WEBCHAT_JS)],
  });
}

async function webChat(context) {
  if (!existsSync(WEBCHAT_JS)) fail(`no ${WEBCHAT_JS}: run npm ci in tests/browser`);
  const server = await serveWebChat();
  const page = await context.newPage();
  const log = watch(page);
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/`, { waitUntil: 'domcontentloaded' });
    const input = page.locator('[data-id="webchat-sendbox-input"], .webchat__send-box textarea, .webchat__send-box input[type="text"]').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    // DirectLineJS's connectionStatus$: 2 is Online (conversation started, socket open).
    await until(page, 'Web Chat did not connect to Herald', 20_000,
      () => {
        if (window.heraldError) return true;
        const status = window.heraldDirectLine?.connectionStatus$?.getValue?.();
        return status === 2;
      });
    const error = await page.evaluate(() => window.heraldError);
    if (error) fail(`the Web Chat page could not start: ${error}`);

    const before = await page.evaluate(() => window.heraldBotTexts());

    await input.click();
    await input.fill(REMINDER);
    await input.press('Enter');

    await until(page, 'Web Chat does not show the user\'s message as sent (Herald\'s echo missing?)', 20_000,
      (text) => Array.from(document.querySelectorAll('.webchat__bubble--from-user'))
        .some((b) => b.textContent.includes(text)) &&
        !document.querySelector('.webchat__activity-status--sending'), REMINDER);
    const sendFailed = await page.evaluate(() => /send failed/i.test(document.querySelector('.webchat__basic-transcript')?.textContent || ''));
    if (sendFailed) fail('Web Chat shows "Send failed" for the user\'s message');

    await until(page, 'no bot answer containing "stretch" in Web Chat', 15_000,
      (n) => window.heraldBotTexts().slice(n).some((t) => /stretch/i.test(t)), before.length);
    await until(page, 'the proactive reminder ("stretch", with buttons) did not arrive in Web Chat', 30_000,
      (n) => window.heraldBotTexts().slice(n).filter((t) => /stretch/i.test(t)).length >= 2 &&
        Array.from(document.querySelectorAll('.webchat__basic-transcript button, .ac-pushButton'))
          .some((b) => /snooze/i.test(b.textContent)), before.length);

    // A file with a message: Web Chat attaches it to the send box, then sends
    // both to Herald's upload endpoint; Herald answers the text and says it
    // received the file, whose echo shows the image from Herald's signed link.
    const botsBeforeUpload = (await page.evaluate(() => window.heraldBotTexts())).length;
    const fileInput = page.locator('.webchat__upload-button input[type="file"], input.webchat__upload-button--file-input').first();
    if (!(await fileInput.count())) fail('Web Chat shows no upload button');
    await fileInput.setInputFiles(PHOTO);
    await input.click();
    await input.fill('hello');
    await input.press('Enter');
    await until(page, 'no bot reply saying the file was received (Herald\'s upload endpoint)', 20_000,
      (n) => window.heraldBotTexts().slice(n).some((t) => /received your file photo\.png/i.test(t)), botsBeforeUpload);
    const uploadFailed = await page.evaluate(() => /send failed/i.test(document.querySelector('.webchat__basic-transcript')?.textContent || ''));
    if (uploadFailed) fail('Web Chat shows "Send failed" for the message with a file');
    await until(page, 'the sent image is not shown from Herald\'s signed link', 15_000,
      (herald) => Array.from(document.querySelectorAll('.webchat__bubble--from-user img'))
        .some((img) => img.src.startsWith(herald + '/v3/directline/conversations/') &&
          img.src.includes('signature=') && img.complete && img.naturalWidth === 8), HERALD_URL);

    return 'Web Chat connected over a WebSocket, the reminder was answered and delivered by itself with its Snooze button; a file sent with a message was received and shown back from Herald';
  } catch (error) {
    const shot = await failureShot(page, 'webchat');
    error.details = [...log, shot ? `screenshot: ${shot}` : ''].filter(Boolean);
    throw error;
  } finally {
    await page.close().catch(() => {});
    server.close();
  }
}

// -------------------------------------------------------------------- main

const tests = [
  ['builtin', 'Herald web chat page', builtinPage],
  ['webchat', 'Microsoft Web Chat', webChat],
  ['expiry', 'directline.js token expiry', tokenExpiry],
].filter(([key]) => !ONLY || ONLY === key);

let passed = 0;
let failed = 0;
let skipped = 0;
const browser = await launch();
try {
  for (const [, name, test] of tests) {
    const started = Date.now();
    try {
      const summary = await test(browser.context);
      if (summary?.skipped) {
        skipped += 1;
        console.log(`SKIPPED ${name}: ${summary.skipped}`);
        continue;
      }
      passed += 1;
      console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${summary}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${error.message}`);
      for (const line of error.details || []) console.log(`     ${line}`);
    }
  }
} finally {
  await browser.close();
}
console.log(`browser: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
