// Herald's web chat: a small Direct Line 3.0 client, in plain ES2020 with no
// dependencies, so that Herald can serve it from its own binary and it works
// offline. It uses the same endpoints, in the same way, as Microsoft's Web
// Chat (DirectLineJS) does, so Herald has a single Direct Line implementation
// for both:
//
//   POST /v3/directline/conversations              start (loopback: no auth)
//   POST /v3/directline/tokens/refresh             keep the token alive
//   GET  /v3/directline/conversations/{id}?watermark=W   a fresh streamUrl
//   WebSocket streamUrl                            ActivitySets, "" = heartbeat
//   GET  /v3/directline/conversations/{id}/activities?watermark=W  polling
//   POST /v3/directline/conversations/{id}/activities              send
//
// Every activity has an id, and an id is rendered at most once: the server
// replays history from the start after a reload and may replay after a
// reconnect, and echoes the user's own messages back.
'use strict';

(() => {
  const API = '/v3/directline';
  const STORAGE_KEY = 'herald.webchat';
  const TOKEN_REFRESH_MS = 15 * 60 * 1000; // as DirectLineJS does
  const POLL_MS = 1000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30 * 1000;
  // A socket that never opens although the REST side answers means something
  // between us and Herald (a proxy) blocks WebSockets: after this many in a
  // row, poll instead.
  const WS_FAILURES_BEFORE_POLLING = 3;
  const TYPING_SHOWN_MS = 5000;
  const CARD_TYPE = 'application/vnd.microsoft.card.adaptive';

  const $ = (selector) => document.querySelector(selector);
  const ui = {
    transcript: $('#transcript'),
    form: $('#composer'),
    input: $('#input'),
    send: $('#send'),
    status: $('#status'),
    statusText: $('#status .status-text'),
  };

  // ---------------------------------------------------------------- state

  // What survives a reload: the conversation goes on where it was.
  let saved = load();
  // A reload replays the conversation from its start (the server keeps the
  // history); ids already shown are skipped, so a replay is harmless.
  saved.watermark = '';
  let stream = null;          // the open WebSocket, if any
  let wsFailures = 0;         // sockets in a row that never opened
  let attempt = 0;            // reconnections in a row, for the backoff
  let reconnectTimer = 0;
  let polling = false;
  let pollTimer = 0;
  let refreshTimer = 0;
  let typingTimer = 0;
  let connecting = false;

  const shown = new Map();    // activity id -> its element (never render twice)
  const pending = new Map();  // clientActivityID -> { element, text } shown before the echo

  function load() {
    try {
      const value = JSON.parse(localStorage.getItem(STORAGE_KEY) || '{}');
      return value && typeof value === 'object' ? value : {};
    } catch {
      return {}; // storage disabled or garbage: start afresh
    }
  }

  function save() {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({
        conversationId: saved.conversationId,
        token: saved.token,
        watermark: saved.watermark,
        browser: saved.browser,
      }));
    } catch {
      // Private mode or a full quota: the chat works, it just won't resume.
    }
  }

  function randomHex(bytes) {
    const buffer = new Uint8Array(bytes);
    crypto.getRandomValues(buffer);
    return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // Who this browser is to Herald: a credential Herald issued it (the first
  // conversation asks for one with "new"), so that a reload or a new
  // conversation is the same person, with the same reminders and settings.
  // Herald decides the user id; whatever a client writes in `from` is ignored.
  const BROWSER_HEADER = 'Herald-Browser';

  // ----------------------------------------------------------------- HTTP

  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // One call to Herald; throws HttpError for an HTTP error and TypeError when
  // Herald can't be reached at all (the caller tells the two apart).
  async function call(method, path, { body, token = saved.token, asBrowser = false } = {}) {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (asBrowser) headers[BROWSER_HEADER] = typeof saved.browser === 'string' ? saved.browser : 'new';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit', // the token is the only credential
    });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, `${method} ${path}: ${response.status}`);
    // A new credential (the first time, or after "forget me" revoked the old one).
    const issued = asBrowser && response.headers.get(BROWSER_HEADER);
    if (issued) saved.browser = issued;
    return text ? JSON.parse(text) : {};
  }

  const lostConversation = (error) =>
    error instanceof HttpError && [401, 403, 404].includes(error.status);

  const conversationPath = () => '/conversations/' + encodeURIComponent(saved.conversationId);
  const watermarkQuery = () => '?watermark=' + encodeURIComponent(saved.watermark || '');

  // ------------------------------------------------------------ connecting

  function setStatus(state, text) {
    ui.status.dataset.state = state;
    ui.statusText.textContent = text;
  }

  function setReady(ready) {
    ui.input.disabled = !ready;
    ui.send.disabled = !ready;
    ui.input.placeholder = ready ? 'Type a message…' : 'Connecting…';
  }

  // Resumes the saved conversation, or starts one; then opens the stream.
  async function connect() {
    if (connecting) return;
    connecting = true;
    clearTimeout(reconnectTimer);
    try {
      let conversation = null;
      if (saved.token && saved.conversationId) {
        try {
          conversation = await resume();
        } catch (error) {
          if (!lostConversation(error)) throw error;
          // Expired or unknown to Herald (e.g. a wiped database): start over,
          // and say so under what was shown of the old one.
          forgetConversation();
          if (ui.transcript.querySelector('.message')) {
            const divider = document.createElement('p');
            divider.className = 'divider';
            divider.textContent = 'New conversation';
            append(divider);
          }
        }
      }
      if (!conversation) conversation = await startConversation();
      setReady(true);
      scheduleTokenRefresh(conversation.expires_in);
      attempt = 0;
      if (!polling && 'WebSocket' in window && conversation.streamUrl) {
        openStream(conversation.streamUrl);
      } else {
        startPolling();
      }
    } catch (error) {
      console.warn('Herald web chat: cannot connect', error);
      retryLater();
    } finally {
      connecting = false;
    }
  }

  async function startConversation() {
    // Direct Line's request body; Herald greets the new conversation itself.
    const conversation = await call('POST', '/conversations', {
      token: null,
      asBrowser: true,
      body: { locale: navigator.language },
    });
    saved.conversationId = conversation.conversationId;
    saved.token = conversation.token;
    saved.watermark = '';
    save();
    return conversation;
  }

  // A saved token may be close to expiry: refresh it first, then ask for a
  // stream from the start of the conversation so that a reload shows the
  // whole history again (ids already shown are skipped).
  async function resume() {
    const refreshed = await call('POST', '/tokens/refresh');
    if (refreshed.conversationId) saved.conversationId = refreshed.conversationId;
    saved.token = refreshed.token;
    saved.watermark = '';
    save();
    const conversation = await call('GET', conversationPath() + watermarkQuery());
    if (conversation.token) saved.token = conversation.token;
    save();
    return { ...conversation, expires_in: refreshed.expires_in ?? conversation.expires_in };
  }

  // After a drop: a fresh streamUrl that resumes after the saved watermark.
  async function reconnect() {
    if (connecting) return;
    connecting = true;
    let lost = false;
    try {
      const conversation = await call('GET', conversationPath() + watermarkQuery());
      if (conversation.token) saved.token = conversation.token;
      save();
      openStream(conversation.streamUrl);
    } catch (error) {
      lost = lostConversation(error);
      if (!lost) retryLater(reconnect);
    } finally {
      connecting = false;
    }
    // The token may have expired while we were away: connect() refreshes it
    // or, failing that, starts a new conversation.
    if (lost) connect();
  }

  function forgetConversation() {
    saved.conversationId = undefined;
    saved.token = undefined;
    saved.watermark = '';
    save();
  }

  // 1 s, 2 s, 4 s … 30 s between tries.
  function retryLater(action = saved.conversationId && saved.token ? reconnect : connect) {
    clearTimeout(reconnectTimer);
    const delay = Math.min(BACKOFF_MIN_MS * 2 ** attempt, BACKOFF_MAX_MS);
    attempt += 1;
    setStatus(navigator.onLine === false || attempt > 3 ? 'offline' : 'reconnecting',
      navigator.onLine === false || attempt > 3 ? 'Offline' : 'Reconnecting…');
    reconnectTimer = setTimeout(action, delay);
  }

  function openStream(url) {
    if (stream) stream.close();
    let opened = false;
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      console.warn('Herald web chat: bad streamUrl', error);
      wsFailures = WS_FAILURES_BEFORE_POLLING;
      return startPolling();
    }
    stream = socket;
    socket.onopen = () => {
      opened = true;
      wsFailures = 0;
      attempt = 0;
      setStatus('connected', 'Connected');
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string' || event.data === '') return; // heartbeat
      try {
        receive(JSON.parse(event.data));
      } catch (error) {
        console.warn('Herald web chat: bad frame', error);
      }
    };
    // onerror is always followed by onclose; handle the drop once, there.
    socket.onclose = () => {
      if (stream !== socket) return; // replaced on purpose
      stream = null;
      if (!opened) wsFailures += 1;
      if (wsFailures >= WS_FAILURES_BEFORE_POLLING) return startPolling();
      retryLater(reconnect);
    };
  }

  // The fallback when WebSockets don't get through: ask every second.
  function startPolling() {
    if (polling) return;
    polling = true;
    clearTimeout(reconnectTimer);
    poll();
  }

  async function poll() {
    clearTimeout(pollTimer);
    try {
      receive(await call('GET', conversationPath() + '/activities' + watermarkQuery()));
      attempt = 0;
      setStatus('connected', 'Connected');
      pollTimer = setTimeout(poll, POLL_MS);
    } catch (error) {
      if (lostConversation(error)) {
        polling = false;
        return connect();
      }
      retryLater(poll);
    }
  }

  // Tokens last a while (expires_in, seconds); refresh well before the end.
  function scheduleTokenRefresh(expiresIn) {
    clearInterval(refreshTimer);
    const half = Number(expiresIn) > 0 ? (Number(expiresIn) * 1000) / 2 : TOKEN_REFRESH_MS;
    refreshTimer = setInterval(async () => {
      try {
        const refreshed = await call('POST', '/tokens/refresh');
        saved.token = refreshed.token;
        save();
      } catch (error) {
        // An expired token shows up as a 403 on the next reconnect, which
        // then starts over; nothing else to do here.
        console.warn('Herald web chat: token refresh failed', error);
      }
    }, Math.max(30 * 1000, Math.min(TOKEN_REFRESH_MS, half)));
  }

  // Back online, or the tab came back from the background: retry now rather
  // than at the end of a long backoff.
  window.addEventListener('online', () => {
    if (!stream && !polling && !connecting) {
      attempt = 0;
      (saved.conversationId && saved.token ? reconnect : connect)();
    }
  });

  // ------------------------------------------------------------- receiving

  function receive(activitySet) {
    for (const activity of activitySet.activities || []) render(activity);
    if (activitySet.watermark !== undefined && activitySet.watermark !== null) {
      saved.watermark = String(activitySet.watermark);
      save();
    }
  }

  // Direct Line echoes the user's messages with their from.id; the bot's
  // have from.role "bot".
  function isFromUser(activity) {
    const from = activity.from || {};
    return from.role === 'user';
  }

  function render(activity) {
    if (!activity) return;
    if (activity.type === 'typing' && !isFromUser(activity)) return showTyping();
    if (activity.type !== 'message' || !activity.id || shown.has(activity.id)) return;

    const fromUser = isFromUser(activity);
    if (!fromUser) hideTyping();

    // A card's answer comes back as a message with a value and no text: show
    // nothing for it, but mark that card as answered (e.g. after a reload).
    if (fromUser && activity.value !== undefined && !activity.text) {
      shown.set(activity.id, null);
      markAnswered(activity.value);
      return;
    }

    const waiting = fromUser ? pendingFor(activity) : undefined;
    if (waiting) {
      // The echo of what we showed as pending: the same element, now sent.
      settle(waiting, activity);
      shown.set(activity.id, waiting);
      return;
    }

    const element = messageElement(fromUser ? 'user' : 'bot', activity);
    shown.set(activity.id, element);
    append(element);
  }

  // The pending element an echo stands for: by clientActivityID, or, should
  // a server drop channelData, the oldest pending message with that text.
  function pendingFor(activity) {
    let key = activity.channelData?.clientActivityID;
    if (!pending.has(key)) {
      key = [...pending.keys()].find((k) => pending.get(k).text === activity.text);
    }
    const entry = key === undefined ? undefined : pending.get(key);
    pending.delete(key);
    return entry?.element;
  }

  function append(element) {
    ui.transcript.append(element);
    // Newest at the bottom, also for reminders that come without any action.
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  // The bot's "typing…", until its message comes (or a few seconds pass).
  function showTyping() {
    let typing = $('#typing');
    if (!typing) {
      typing = document.createElement('div');
      typing.id = 'typing';
      typing.className = 'typing';
      typing.setAttribute('aria-label', 'Herald is typing');
      typing.innerHTML = '<span></span><span></span><span></span>';
    }
    append(typing); // (re)moves it to the bottom
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_SHOWN_MS);
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    $('#typing')?.remove();
  }

  // -------------------------------------------------------------- messages

  function messageElement(role, activity) {
    const element = document.createElement('article');
    element.className = 'message';
    element.dataset.role = role;
    if (activity.id) element.dataset.activityId = activity.id;

    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    if (activity.text) {
      const text = document.createElement('div');
      text.className = 'text';
      // The bot writes Markdown; what the user typed is shown as typed.
      text.innerHTML = role === 'bot' && activity.textFormat !== 'plain'
        ? markdown(activity.text)
        : escapeHtml(activity.text).replace(/\n/g, '<br>');
      bubble.append(text);
    }
    for (const attachment of activity.attachments || []) {
      bubble.append(attachmentElement(attachment));
    }
    element.append(bubble);

    const meta = document.createElement('footer');
    meta.className = 'meta';
    element.append(meta);
    stamp(element, activity.timestamp || activity.localTimestamp);
    return element;
  }

  function stamp(element, when) {
    const meta = element.querySelector('.meta');
    const date = when ? new Date(when) : new Date();
    const time = document.createElement('time');
    if (!Number.isNaN(date.getTime())) {
      time.dateTime = date.toISOString();
      const today = date.toDateString() === new Date().toDateString();
      time.textContent = date.toLocaleString(undefined, today
        ? { hour: '2-digit', minute: '2-digit' }
        : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
      time.title = date.toLocaleString();
    }
    meta.replaceChildren(time);
  }

  // The echo arrived (or the POST answered with the id): no longer pending.
  function settle(element, activity) {
    element.classList.remove('pending', 'failed');
    element.removeAttribute('aria-busy');
    element.dataset.activityId = activity.id;
    stamp(element, activity.timestamp || activity.localTimestamp);
  }

  // ---------------------------------------------------------------- sending

  // ISO 8601 in local time with the local UTC offset, as Web Chat sends it
  // (e.g. 2026-12-01T10:00:00.000+01:00): Herald reads the user's zone from it.
  function localTimestamp(date = new Date()) {
    const pad = (n, width = 2) => String(Math.abs(Math.trunc(n))).padStart(width, '0');
    const offset = -date.getTimezoneOffset();
    return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
      `.${pad(date.getMilliseconds(), 3)}${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)}`;
  }

  function outgoing(fields) {
    let localTimezone;
    try {
      localTimezone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
      localTimezone = undefined;
    }
    return {
      type: 'message',
      from: { role: 'user' },
      locale: navigator.language,
      localTimezone,
      localTimestamp: localTimestamp(),
      ...fields,
      channelData: { clientActivityID: 'c_' + randomHex(8) },
    };
  }

  const post = (activity) => call('POST', conversationPath() + '/activities', { body: activity });

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text || ui.input.disabled) return;
    ui.input.value = '';
    const activity = outgoing({ text, textFormat: 'plain' });
    const element = messageElement('user', { text, localTimestamp: activity.localTimestamp });
    element.classList.add('pending');
    element.setAttribute('aria-busy', 'true');
    pending.set(activity.channelData.clientActivityID, { element, text });
    append(element);
    deliver(activity, element);
    ui.input.focus();
  });

  async function deliver(activity, element) {
    const clientId = activity.channelData.clientActivityID;
    try {
      const { id } = await post(activity);
      // The echo may come before or after this answer; whichever is first
      // settles the element, and the id keeps the other from adding a copy.
      if (id && pending.get(clientId)?.element === element) {
        pending.delete(clientId);
        settle(element, { id, localTimestamp: activity.localTimestamp });
        shown.set(id, element);
      }
    } catch (error) {
      console.warn('Herald web chat: not sent', error);
      failed(element, () => deliver(activity, element));
    }
  }

  function failed(element, retry) {
    element.classList.remove('pending');
    element.classList.add('failed');
    element.removeAttribute('aria-busy');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'retry';
    button.textContent = 'Not sent — retry';
    button.addEventListener('click', () => {
      element.classList.replace('failed', 'pending');
      stamp(element);
      retry();
    });
    element.querySelector('.meta').replaceChildren(button);
  }

  // --------------------------------------------------------------- Markdown

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  // The Markdown Herald writes: **bold**, _italic_ (and *italic*), `code`,
  // "- " bullet lines, paragraphs and line breaks. Everything is escaped
  // first, so the only tags in the result are the ones added here.
  function markdown(source) {
    const blocks = [];
    let lines = [];   // the paragraph being read
    let items = [];   // the bullet list being read
    const flush = () => {
      if (lines.length) blocks.push('<p>' + lines.join('<br>') + '</p>');
      if (items.length) blocks.push('<ul>' + items.map((i) => '<li>' + i + '</li>').join('') + '</ul>');
      lines = [];
      items = [];
    };
    for (const line of String(source).replace(/\r\n?/g, '\n').split('\n')) {
      const bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
      if (!line.trim()) {
        flush();
      } else if (bullet) {
        if (lines.length) flush(); // a list right under a line of text
        items.push(inline(bullet[1]));
      } else {
        if (items.length) flush();
        lines.push(inline(line));
      }
    }
    flush();
    return blocks.join('');
  }

  function inline(text) {
    // Code spans first, so that nothing inside them is formatted.
    return escapeHtml(text).split(/(`[^`]+`)/).map((part) => {
      if (/^`[^`]+`$/.test(part)) return '<code>' + part.slice(1, -1) + '</code>';
      return part
        // Teams-style mentions, <at>Name</at>, in group conversations.
        .replace(/&lt;at&gt;(.*?)&lt;\/at&gt;/g, '<strong class="mention">@$1</strong>')
        .replace(/\*\*(?=\S)(.+?)\*\*/g, '<strong>$1</strong>')
        // Only underscores at word edges: snake_case stays as it is.
        .replace(/(^|[^\w])_(?=\S)(.+?)_(?!\w)/g, '$1<em>$2</em>')
        .replace(/(^|[^\w*])\*(?=\S)([^*]+?)\*(?!\w)/g, '$1<em>$2</em>');
    }).join('');
  }

  // ---------------------------------------------------------- Adaptive Cards

  // Enough of Adaptive Cards for Herald's: text, facts, columns and
  // containers stacked, and Action.Submit buttons. Built with textContent, so
  // nothing in a card is ever read as HTML.
  function attachmentElement(attachment) {
    const box = document.createElement('div');
    if (attachment.contentType === CARD_TYPE && attachment.content) {
      box.className = 'card';
      const body = document.createElement('div');
      body.className = 'card-body';
      for (const item of attachment.content.body || []) cardElement(item, body);
      if (body.childNodes.length) box.append(body);
      actionsElement(attachment.content.actions, box);
    } else {
      // Anything else: say that something is there rather than drop it.
      box.className = 'attachment';
      box.textContent = attachment.name || attachment.contentType || 'Attachment';
    }
    return box;
  }

  function cardElement(item, parent) {
    if (!item || item.isVisible === false) return;
    switch (item.type) {
      case 'TextBlock': {
        const text = document.createElement('div');
        text.className = 'card-text';
        if (item.weight === 'bolder') text.classList.add('bolder');
        if (item.size === 'large' || item.size === 'extraLarge') text.classList.add('large');
        if (item.isSubtle) text.classList.add('subtle');
        text.innerHTML = markdown(item.text || '');
        parent.append(text);
        break;
      }
      case 'RichTextBlock': {
        const text = document.createElement('div');
        text.className = 'card-text';
        text.textContent = (item.inlines || []).map((i) => (typeof i === 'string' ? i : i.text || '')).join('');
        parent.append(text);
        break;
      }
      case 'FactSet': {
        const facts = document.createElement('dl');
        facts.className = 'card-facts';
        for (const fact of item.facts || []) {
          const title = document.createElement('dt');
          title.textContent = fact.title ?? '';
          const value = document.createElement('dd');
          value.textContent = fact.value ?? '';
          facts.append(title, value);
        }
        parent.append(facts);
        break;
      }
      case 'ColumnSet':
        for (const column of item.columns || []) cardElement({ ...column, type: 'Container' }, parent);
        break;
      case 'Container':
      case 'Column': {
        const group = document.createElement('div');
        group.className = 'card-group';
        for (const child of item.items || []) cardElement(child, group);
        if (group.childNodes.length) parent.append(group);
        break;
      }
      case 'ActionSet':
        actionsElement(item.actions, parent);
        break;
      case 'Image':
        // Images would be fetched from elsewhere; the page loads nothing from
        // outside, so show the alternative text instead.
        if (item.altText) cardElement({ type: 'TextBlock', text: item.altText, isSubtle: true }, parent);
        break;
      default:
        break;
    }
  }

  function actionsElement(actions, parent) {
    const submits = (actions || []).filter((action) => action?.type === 'Action.Submit');
    if (!submits.length) return;
    const row = document.createElement('div');
    row.className = 'card-actions';
    for (const action of submits) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'card-action';
      button.textContent = action.title || 'Submit';
      // Kept to recognise the card's answer when history is replayed.
      button.dataset.value = stableJson(action.data ?? {});
      button.addEventListener('click', () => submit(button, action));
      row.append(button);
    }
    parent.append(row);
  }

  // As Web Chat does for Action.Submit: a message with the action's data as
  // its value and no text.
  async function submit(button, action) {
    const card = button.closest('.card');
    const buttons = card.querySelectorAll('button.card-action');
    buttons.forEach((b) => { b.disabled = true; });
    button.classList.add('chosen');
    const activity = outgoing({ value: action.data ?? {}, text: undefined });
    try {
      const { id } = await post(activity);
      if (id) shown.set(id, null); // its echo shows nothing
    } catch (error) {
      console.warn('Herald web chat: card answer not sent', error);
      buttons.forEach((b) => { b.disabled = false; });
      button.classList.remove('chosen');
    }
  }

  // A replayed answer disables the buttons of the card it answered.
  function markAnswered(value) {
    const key = stableJson(value);
    for (const button of ui.transcript.querySelectorAll('button.card-action')) {
      if (button.dataset.value !== key) continue;
      button.classList.add('chosen');
      button.closest('.card').querySelectorAll('button.card-action')
        .forEach((b) => { b.disabled = true; });
    }
  }

  // JSON with sorted keys: the server may reorder an echoed value's fields.
  function stableJson(value) {
    if (Array.isArray(value)) return '[' + value.map(stableJson).join(',') + ']';
    if (value && typeof value === 'object') {
      return '{' + Object.keys(value).sort()
        .map((k) => JSON.stringify(k) + ':' + stableJson(value[k])).join(',') + '}';
    }
    return JSON.stringify(value ?? null);
  }

  // ------------------------------------------------------------------ start

  setStatus('connecting', 'Connecting…');
  connect();
})();
