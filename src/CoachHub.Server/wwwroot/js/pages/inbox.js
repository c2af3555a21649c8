// The coach's alert inbox: open findings at warning or above across their squads, unacknowledged first.
import { get, post, newKey } from '../api.js';
import { h, clear, input, formError, showApiError, busy, advice, empty, loading, failure, debounce, dateTime, keepTyping, DISCLAIMER } from '../ui.js';
import { onLive } from '../live.js';

export async function inboxPage(main, { app }) {
  app.setTitle('Alert inbox');
  const list = h('div', {}, loading());
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Alert inbox')),
    h('p', { class: 'muted' }, 'Open findings at warning level or above across your squads. Unacknowledged ones come first.'),
    list);

  async function refresh() {
    try {
      const alerts = await get('/api/inbox');
      keepTyping(list, () => render(alerts));
      app.refreshInboxCount();
    } catch (error) {
      clear(list).append(failure(error, refresh));
    }
  }

  function render(alerts) {
    if (alerts.length === 0) {
      clear(list).append(empty('No open alerts. Anything at warning level or above will show up here, and on your board, as it happens.'));
      return;
    }
    clear(list).append(h('ul', { class: 'plain-list', 'aria-label': 'Alerts' }, alerts.map((a) => h('li', {},
      h('article', { class: 'card', dataset: { finding: a.findingId, athlete: a.athleteId, acknowledged: a.acknowledgedAt ? 'true' : 'false' } },
        h('h2', {}, h('a', { href: `#/athletes/${a.athleteId}` }, a.athleteName)),
        advice({ severity: a.severity, message: a.message, action: a.recommendedAction, actionLabel: 'Advice given to the athlete', ruleId: a.ruleId, raisedAt: a.raisedAt, disclaimerText: DISCLAIMER }),
        a.acknowledgedAt
          ? h('p', { class: 'form-ok' }, `Acknowledged ${dateTime(a.acknowledgedAt)}.`)
          : acknowledgeForm(a, refresh))))));
  }

  const refreshSoon = debounce(refresh, 120);
  const off = onLive(['findingRaised', 'alertAcknowledged', 'reconnected'], refreshSoon);
  await refresh();
  return off;
}

/** Acknowledge with an optional note: the coach has seen it and is acting on it. */
export function acknowledgeForm(alert, done) {
  const form = h('form', { novalidate: true, class: 'row ack-form', dataset: { keep: `ack-${alert.findingId}` }, 'aria-label': `Acknowledge the alert for ${alert.athleteName ?? 'this athlete'}` },
    formError(),
    h('div', { style: 'flex: 1 1 14em' }, input('note', 'Note (optional)', { placeholder: 'e.g. Called her, she is seeing her GP today', maxlength: 2000 })),
    h('button', { type: 'submit' }, 'Acknowledge'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const note = form.elements.note.value.trim();
        await post(`/api/athletes/${alert.athleteId}/findings/${encodeURIComponent(alert.findingId)}/acknowledge`, note ? { note } : {}, { idempotencyKey: newKey() });
        await done();
      } catch (error) {
        showApiError(form, error);
      }
    });
  });
  return form;
}
