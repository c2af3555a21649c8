// Live updates through /hubs/coach with the official SignalR client (window.signalR, from npm). The hub
// authenticates with the same cookie as the API. Pages subscribe with onLive(name, handler); after a
// reconnect they get 'reconnected' and reload, since messages sent while away are not replayed.

export const MESSAGES = ['findingRaised', 'alertAcknowledged', 'runLogged', 'painReportSubmitted', 'planAdjusted', 'adjustmentProposed', 'athleteLeft', 'squadClosed', 'weekAdjustmentsCompleted', 'commentPosted', 'historyCorrected'];

const handlers = new Map();
let connection = null;
let retryTimer = null;
let stopped = true;

function emit(name, message) {
  for (const handler of handlers.get(name) ?? []) {
    try { handler(message); } catch (e) { console.error(`live ${name} handler failed`, e); }
  }
}

/** Subscribes; returns the unsubscribe function. */
export function onLive(names, handler) {
  const list = Array.isArray(names) ? names : [names];
  for (const name of list) {
    if (!handlers.has(name)) handlers.set(name, new Set());
    handlers.get(name).add(handler);
  }
  return () => list.forEach((name) => handlers.get(name)?.delete(handler));
}

function setState(state) {
  const el = document.getElementById('live');
  const text = {
    connecting: 'Connecting…',
    connected: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Offline: reload to see changes',
    unavailable: 'Live updates unavailable',
  }[state];
  document.body.dataset.live = state;
  if (el) {
    el.hidden = false;
    el.dataset.state = state;
    el.textContent = text;
    el.title = state === 'connected' ? 'Updates arrive as they happen' : text;
  }
  emit('state', state);
}

export function liveState() {
  return document.body.dataset.live ?? 'offline';
}

export function startLive() {
  if (connection) return;
  if (!window.signalR) { setState('unavailable'); return; }
  stopped = false;
  connection = new window.signalR.HubConnectionBuilder()
    .withUrl('/hubs/coach')
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 20000, 30000])
    .configureLogging(window.signalR.LogLevel.Warning)
    .build();
  for (const name of MESSAGES) connection.on(name, (message) => emit(name, message));
  // Sent once the server has put this connection in its groups: only then does every update arrive.
  connection.on('listening', () => setState('connected'));
  connection.onreconnecting(() => setState('reconnecting'));
  connection.onreconnected(() => emit('reconnected'));
  connection.onclose(() => {
    if (stopped) return;
    setState('offline');
    retryTimer = setTimeout(start, 5000);
  });
  start();
}

async function start() {
  if (!connection || stopped) return;
  setState('connecting');
  try {
    await connection.start();
  } catch {
    if (stopped) return;
    setState('offline');
    retryTimer = setTimeout(start, 5000);
  }
}

export async function stopLive() {
  stopped = true;
  clearTimeout(retryTimer);
  const c = connection;
  connection = null;
  handlers.forEach((set, name) => { if (name !== 'state') set.clear(); });
  if (c) { try { await c.stop(); } catch { /* already gone */ } }
  const el = document.getElementById('live');
  if (el) el.hidden = true;
  delete document.body.dataset.live;
}
