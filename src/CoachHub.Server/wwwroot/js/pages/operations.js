// The operator's page (role admin): rebuild the read model behind every view from the event log, follow its
// progress, and see the recent rebuilds, whichever node or command line ran them; send again or drop the live
// messages that failed every retry (Wolverine's dead letters).
import { api, get, post, newKey } from '../api.js';
import { h, clear, checkbox, formError, showApiError, busy, loading, failure, dateTime, empty } from '../ui.js';

const STATE = { running: 'Running', done: 'Done', failed: 'Failed', interrupted: 'Interrupted' };

export async function operationsPage(main, { app }) {
  app.setTitle('Operations');
  const current = h('div', { 'aria-live': 'polite' });
  const history = h('div', {}, loading());
  const form = h('form', { novalidate: true, class: 'card', 'aria-label': 'Rebuild the read model' },
    h('h2', {}, 'Rebuild the read model'),
    h('p', {}, 'Replays every stored event into the tables behind the squad boards, alert inboxes, athletes\u2019 pages and plans. ',
      'Do it when a view looks wrong, or after restoring a backup. Nothing is lost: events are never changed.'),
    h('p', {}, 'While it runs, pages keep showing what they showed before, and new runs, reports and plan changes wait until it ',
      'finishes (under a second for a small club; about 4 s per 200,000 events on a small server). Prefer a quiet hour.'),
    formError(),
    checkbox('confirm', 'I understand that writes wait while it runs'),
    h('button', { type: 'submit' }, 'Rebuild now'));
  const letters = h('div', {}, loading());
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Operations')), form, current,
    h('h2', {}, 'Recent rebuilds'), history,
    h('h2', {}, 'Live messages that could not be sent'),
    h('p', { class: 'muted' }, 'Live alerts and updates that failed every retry, for example while Redis or the database was away. ',
      'Boards and inboxes already show what happened; sending again tells whoever is connected now.'),
    letters);

  let timer = null;
  let stopped = false;

  async function refresh() {
    try {
      const runs = await get('/api/admin/rebuilds');
      render(runs);
      const running = runs.find((r) => r.state === 'running');
      clearTimeout(timer);
      // Twice a second while one runs (its node records its progress that often), else not at all.
      if (running && !stopped) timer = setTimeout(refresh, 500);
    } catch (error) {
      clear(history).append(failure(error, refresh));
    }
  }

  function render(runs) {
    const running = runs.find((r) => r.state === 'running');
    form.querySelector('button[type=submit]').disabled = !!running;
    clear(current);
    if (running) current.append(progress(running));
    if (runs.length === 0) {
      clear(history).append(empty('No rebuilds yet.'));
      return;
    }
    clear(history).append(h('table', { class: 'stacked', 'aria-label': 'Recent rebuilds' },
      h('thead', {}, h('tr', {}, ['Started', 'By', 'State', 'Events', 'Took'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, runs.map((r) => h('tr', { dataset: { rebuild: r.rebuildId, state: r.state } },
        h('td', { class: 'cell-main', 'data-label': 'Started' }, dateTime(r.startedAt)),
        h('td', { 'data-label': 'By' }, `${r.startedBy} on ${r.node}`),
        h('td', { 'data-label': 'State' }, STATE[r.state] ?? r.state, r.error ? h('span', { class: 'small muted' }, ` ${r.error}`) : null),
        h('td', { 'data-label': 'Events' }, r.total != null ? `${r.events.toLocaleString()} of ${r.total.toLocaleString()}` : r.events.toLocaleString()),
        h('td', { 'data-label': 'Took' }, r.finishedAt ? `${((new Date(r.finishedAt) - new Date(r.startedAt)) / 1000).toFixed(1)} s` : '\u2014'))))));
  }

  function progress(run) {
    const total = run.total ?? 0;
    return h('div', { class: 'card', role: 'status', dataset: { running: run.rebuildId } },
      h('p', {}, `Rebuilding: ${run.events.toLocaleString()} of ${total ? total.toLocaleString() : '\u2026'} events`),
      h('progress', { max: Math.max(total, 1), value: run.events, 'aria-label': 'Rebuild progress' }));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const error = form.querySelector('[data-field=confirm] .error');
    error.textContent = '';
    if (!form.elements.confirm.checked) {
      error.textContent = 'Tick this to confirm: new writes wait while the rebuild runs.';
      form.elements.confirm.focus();
      return;
    }
    busy(form, async () => {
      try {
        await post('/api/admin/rebuilds', { readModel: 'coaching' }, { idempotencyKey: newKey() });
        form.elements.confirm.checked = false;
      } catch (err) {
        // 409: one is running already; it shows below either way.
        if (err.status !== 409) { showApiError(form, err); return; }
      }
      await refresh();
    });
  });

  await Promise.all([refresh(), deadLetters(letters)]);
  return () => { stopped = true; clearTimeout(timer); };
}

// What each message tells people, in their words (the server names them LiveNews + the event).
const NEWS = {
  LiveNewsFindingRaised: 'Alert to coaches and athlete',
  LiveNewsAlertAcknowledged: 'Alert acknowledged',
  LiveNewsRunLogged: 'Run logged',
  LiveNewsPainReportSubmitted: 'Post-run report',
  LiveNewsWeekAdjusted: 'Next week adjusted',
  LiveNewsAdjustmentApproved: 'Adjustment approved',
  LiveNewsAdjustmentProposed: 'Adjustment waiting for approval',
  LiveNewsAthleteLeft: 'Athlete left a squad',
};

async function deadLetters(container) {
  let list;
  try {
    list = await get('/api/admin/dead-letters');
  } catch (error) {
    clear(container).append(failure(error, () => deadLetters(container)));
    return;
  }
  if (list.items.length === 0) {
    clear(container).append(empty('Nothing waiting: every live message was sent.'));
    return;
  }
  const act = (row, method, path, done) => async () => {
    row.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    try {
      await api(method, path);
      clear(row.querySelector('[data-label=Status]')).append(done);
      // A node takes a replayed message within seconds: read the list again then.
      setTimeout(() => deadLetters(container), 5000);
    } catch (error) {
      // Gone already (another admin, or a node took it): the list says what is left.
      if (error.status === 404) { await deadLetters(container); return; }
      row.querySelectorAll('button').forEach((b) => { b.disabled = false; });
      clear(row.querySelector('[data-label=Status]')).append(h('span', { class: 'error', role: 'alert' }, error.message));
    }
  };
  clear(container).append(
    list.total > list.items.length ? h('p', {}, `The newest ${list.items.length} of ${list.total.toLocaleString()}.`) : '',
    h('table', { class: 'stacked', 'aria-label': 'Live messages that could not be sent' },
      h('thead', {}, h('tr', {}, ['Failed', 'Message', 'Why', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, list.items.map((letter) => {
        const row = h('tr', { dataset: { deadLetter: letter.id } },
          h('td', { class: 'cell-main', 'data-label': 'Failed' }, dateTime(letter.sentAt)),
          h('td', { 'data-label': 'Message' }, NEWS[letter.messageType] ?? letter.messageType),
          h('td', { 'data-label': 'Why', class: 'small' }, `${letter.exceptionType.split('.').pop()}: ${letter.exceptionMessage.split('\n')[0]}`),
          h('td', { 'data-label': 'Status' }, letter.replayable ? 'Sending again' : 'Failed'),
          h('td', { 'data-label': '' }));
        const actions = row.lastChild;
        if (!letter.replayable) {
          const again = h('button', { type: 'button' }, 'Send again');
          const drop = h('button', { type: 'button', class: 'secondary' }, 'Discard');
          again.addEventListener('click', act(row, 'POST', `/api/admin/dead-letters/${letter.id}/replay`, 'Sending again'));
          drop.addEventListener('click', act(row, 'DELETE', `/api/admin/dead-letters/${letter.id}`, 'Discarded'));
          actions.append(again, ' ', drop);
        }
        return row;
      }))));
}
