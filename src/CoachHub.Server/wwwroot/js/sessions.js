// Planned sessions and automated week changes, shown the same way to coaches and athletes.
import { h, day, distance, duration, label, SESSION_TYPES, INTENSITIES, OUTCOMES, ruleChip, camel } from './ui.js';

export function sessionText(s, units) {
  return [
    label(SESSION_TYPES, s.type),
    s.distanceMeters ? distance(s.distanceMeters, units) : null,
    s.durationSeconds ? duration(s.durationSeconds) : null,
    camel(s.intensity) !== 'rest' ? `${label(INTENSITIES, s.intensity).toLowerCase()} effort` : null,
  ].filter(Boolean).join(' · ');
}

/** One line per session; extra(session) may add controls (the coach's Edit button). */
export function sessionList(sessions, units, { edited = [], extra } = {}) {
  if (!sessions.length) return h('p', { class: 'muted' }, 'No sessions planned.');
  return h('ul', { class: 'session-list' }, sessions.map((s) => h('li', { dataset: { session: s.sessionId } },
    h('span', { class: 'session-day' }, day(s.date)),
    h('span', { class: 'session-main' },
      h('span', {}, sessionText(s, units)),
      edited.includes(s.sessionId) ? h('span', { class: 'badge', style: 'margin-left:6px' }, 'edited by coach') : null,
      s.description ? h('span', { class: 'small muted', style: 'display:block' }, s.description) : null,
      s.notes ? h('span', { class: 'small muted wrap-anywhere', style: 'display:block' }, `Note: ${s.notes}`) : null),
    extra ? extra(s) : null)));
}

/** An automated change: outcome, the rule ids behind it, and the reasons. */
export function adjustmentSummary(adjustment, units, heading) {
  const before = (adjustment.from?.sessions ?? []).reduce((sum, s) => sum + (s.distanceMeters ?? 0), 0);
  const after = (adjustment.to?.sessions ?? []).reduce((sum, s) => sum + (s.distanceMeters ?? 0), 0);
  return h('div', {},
    h('h3', {}, heading, ': ', OUTCOMES[camel(adjustment.outcome)] ?? adjustment.outcome),
    adjustment.ruleIds?.length ? h('div', { class: 'row', 'aria-label': 'Rules behind this change' }, h('span', { class: 'small muted' }, 'Rules:'), adjustment.ruleIds.map(ruleChip)) : null,
    adjustment.reasons?.length ? h('ul', { class: 'reasons' }, adjustment.reasons.map((r) => h('li', {}, r))) : null,
    adjustment.from || adjustment.to
      ? h('p', { class: 'small' }, `Planned distance: ${distance(before, units)} before, ${distance(after, units)} after.`)
      : null);
}
