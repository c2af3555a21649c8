// The operator's page (role admin): rebuild the read model behind every view from the event log, follow its
// progress, and see the recent rebuilds, whichever node or command line ran them.
import { get, post, newKey } from '../api.js';
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
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'Operations')), form, current,
    h('h2', {}, 'Recent rebuilds'), history);

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

  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
