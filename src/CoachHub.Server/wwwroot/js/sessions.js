// Planned sessions and automated week changes, shown the same way to coaches and athletes.
import { h, day, distance, duration, label, SESSION_TYPES, INTENSITIES, OUTCOMES, RUN_TYPES, ruleChip, camel } from './ui.js';

export function sessionText(s, units) {
  return [
    label(SESSION_TYPES, s.type),
    s.distanceMeters ? distance(s.distanceMeters, units) : null,
    s.durationSeconds ? duration(s.durationSeconds) : null,
    camel(s.intensity) !== 'rest' ? `${label(INTENSITIES, s.intensity).toLowerCase()} effort` : null,
  ].filter(Boolean).join(' · ');
}

/**
 * One line per session; extra(session) may add controls (the coach's Edit button). suspended lists the running
 * sessions a red flag holds back ({ sessionId, ruleId }): kept in the plan, shown struck through, not to be run.
 */
export function sessionList(sessions, units, { edited = [], suspended = [], extra } = {}) {
  if (!sessions.length) return h('p', { class: 'muted' }, 'No sessions planned.');
  const held = new Map(suspended.map((x) => [x.sessionId, x]));
  return h('ul', { class: 'session-list' }, sessions.map((s) => h('li', { dataset: { session: s.sessionId, suspended: held.has(s.sessionId) ? 'true' : undefined }, class: held.has(s.sessionId) ? 'suspended' : undefined },
    h('span', { class: 'session-day' }, day(s.date)),
    h('span', { class: 'session-main' },
      h('span', { class: 'session-text' }, sessionText(s, units)),
      held.has(s.sessionId) ? h('span', { class: 'badge suspended-badge', style: 'margin-left:6px' }, 'Suspended: ', ruleChip(held.get(s.sessionId).ruleId)) : null,
      edited.includes(s.sessionId) ? h('span', { class: 'badge', style: 'margin-left:6px' }, 'edited by coach') : null,
      s.description ? h('span', { class: 'small muted', style: 'display:block' }, s.description) : null,
      s.notes ? h('span', { class: 'small muted wrap-anywhere', style: 'display:block' }, `Note: ${s.notes}`) : null),
    extra ? extra(s) : null)));
}

/** Running distance of the sessions not held back by a red flag. */
export function activeRunMeters(sessions, suspended = []) {
  const held = new Set(suspended.map((x) => x.sessionId));
  return sessions.filter((s) => RUN_TYPES.has(camel(s.type)) && !held.has(s.sessionId)).reduce((sum, s) => sum + (s.distanceMeters ?? 0), 0);
}

/** Says why no running is active: shown above a week whose running a red flag holds back. */
export function pausedNote(suspended) {
  if (!suspended?.length) return null;
  return h('p', { class: 'paused-note', role: 'note' },
    h('strong', {}, 'Running is paused. '),
    `${suspended.length === 1 ? 'One running session is' : `${suspended.length} running sessions are`} suspended until a healthcare professional has assessed the back pain and the coach records the clearance. Cross-training, mobility and strength can go ahead if they are pain-free.`);
}

/** An automated change: outcome, the rule ids behind it, and the reasons. */
/** A week's running in words: its distance, else (a walk-run week, planned by time) its minutes. */
function runningOf(sessions, units) {
  const meters = activeRunMeters(sessions);
  if (meters > 0) return { amount: meters, text: distance(meters, units) };
  const seconds = sessions.filter((s) => RUN_TYPES.has(camel(s.type))).reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0);
  return { amount: seconds, text: seconds > 0 ? duration(seconds) : 'none' };
}

export function adjustmentSummary(adjustment, units, heading) {
  // The reasons compare the week with last week's plan; this line says what the week now holds, and, where the week
  // had a plan of its own before the change, what that was: labelled, so no figure reads as another's.
  const before = runningOf(adjustment.from?.sessions ?? [], units);
  const after = runningOf(adjustment.to?.sessions ?? [], units);
  return h('div', {},
    h('h3', {}, heading, ': ', OUTCOMES[camel(adjustment.outcome)] ?? adjustment.outcome),
    adjustment.ruleIds?.length ? h('div', { class: 'row', 'aria-label': 'Rules behind this change' }, h('span', { class: 'small muted' }, 'Rules:'), adjustment.ruleIds.map(ruleChip)) : null,
    adjustment.reasons?.length ? h('ul', { class: 'reasons' }, adjustment.reasons.map((r) => h('li', {}, r))) : null,
    adjustment.from || adjustment.to
      ? h('p', { class: 'small' }, before.amount > 0 && before.text !== after.text
        ? `Running planned this week: ${after.text} (the week's own plan had ${before.text} before this change).`
        : `Running planned this week: ${after.text}.`)
      : null);
}
