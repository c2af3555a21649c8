// The coach's alert inbox: open findings at warning or above across their squads, unacknowledged first, and the
// weekly adjustment's changes that wait for the coach's approval.
import { get, post, newKey } from '../api.js';
import {
  h, clear, input, formError, showApiError, busy, advice, empty, loading, failure, debounce, dateTime, day, keepTyping, ruleChip, camel, DISCLAIMER, OUTCOMES,
} from '../ui.js';
import { onLive } from '../live.js';

export async function inboxPage(main, { app }) {
  app.setTitle('Alert inbox');
  const list = h('div', {}, loading());
  const changes = h('div', {}, loading());
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Alert inbox')),
    h('p', { class: 'muted' }, 'Open findings at warning level or above across your squads. Unacknowledged ones come first.'),
    list,
    h('h2', {}, 'Changes waiting for your approval'),
    h('p', { class: 'muted' }, 'The weekly adjustment\u2019s proposals for your athletes\u2019 next weeks, soonest first. Open the calendar to approve or reject each.'),
    changes);

  async function refreshChanges() {
    try {
      const waiting = await get('/api/inbox/changes');
      if (waiting.length === 0) {
        clear(changes).append(empty('Nothing waits for your approval.'));
        return;
      }
      clear(changes).append(h('ul', { class: 'plain-list', 'aria-label': 'Changes waiting for approval' }, waiting.map((c) => h('li', {},
        h('article', { class: 'card', dataset: { change: `${c.athleteId}:${c.weekStart}` } },
          h('h3', {}, h('a', { href: `#/athletes/${c.athleteId}` }, c.athleteName)),
          h('p', {}, h('strong', {}, `Week of ${day(c.weekStart)}: ${OUTCOMES[camel(c.outcome)] ?? c.outcome}`), ` (proposed ${dateTime(c.proposedAt)})`),
          c.reasons.length ? h('ul', {}, c.reasons.map((r) => h('li', {}, r))) : '',
          h('p', {}, c.ruleIds.map((id) => ruleChip(id))),
          h('a', { class: 'button', href: `#/athletes/${c.athleteId}/plan` }, 'Review in the calendar'))))));
    } catch (error) {
      clear(changes).append(failure(error, refreshChanges));
    }
  }

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
        a.lastNote ? h('p', { class: 'small' }, h('span', { class: 'muted' }, `Note by ${a.lastNote.coachName}, ${dateTime(a.lastNote.notedAt)}: `), a.lastNote.note) : null,
        a.acknowledgedAt
          ? h('p', { class: 'form-ok' }, `Acknowledged ${dateTime(a.acknowledgedAt)}.`)
          : acknowledgeForm(a, refresh))))));
  }

  const refreshSoon = debounce(refresh, 120);
  const off = onLive(['findingRaised', 'alertAcknowledged', 'reconnected'], refreshSoon);
  // A proposal arrives, is decided, or is voided by a red flag: the list follows at once.
  const refreshChangesSoon = debounce(refreshChanges, 120);
  const offChanges = onLive(['adjustmentProposed', 'planAdjusted', 'findingRaised', 'weekAdjustmentsCompleted', 'reconnected'], refreshChangesSoon);
  await Promise.all([refresh(), refreshChanges()]);
  return () => { off(); offChanges(); };
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
