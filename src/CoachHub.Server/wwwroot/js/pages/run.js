// One run: pace, time, the session it was for, the report answered after it, and what that raised.
import { get } from '../api.js';
import {
  h, clear, loading, failure, distance, duration, dateTime, parseDate, label, camel, severityBadge, WORKOUTS, SURFACES, SESSION_TYPES,
} from '../ui.js';
import { unitsForAthlete } from '../squads.js';
import { trackChart } from '../charts.js';
import { threadPanel } from '../thread.js';

const COLOUR_WORDS = { green: 'within 20% of plan', yellow: '20-50% off plan', orange: 'more than 50% off plan' };

function pace(secondsPerKm, units) {
  if (!secondsPerKm) return '—';
  const seconds = units === 'miles' ? Math.round(secondsPerKm * 1.609344) : secondsPerKm;
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} /${units === 'miles' ? 'mi' : 'km'}`;
}

export async function runPage(main, { params, app }) {
  const charts = [];
  const own = !params.id;
  const athleteId = params.id ?? app.me.userId;
  main.append(loading());
  let page; let dashboard;
  try {
    [page, dashboard] = await Promise.all([get(`/api/athletes/${athleteId}/runs/${params.runId}`), get(`/api/athletes/${athleteId}/dashboard`)]);
  } catch (error) {
    clear(main).append(h('h1', {}, 'Run'), failure(error, () => app.navigate(location.hash.slice(2))));
    return;
  }
  const units = own ? camel(dashboard.athlete.units) : await unitsForAthlete(dashboard.athlete.squadId, camel(dashboard.athlete.units));
  const run = page.run;
  const when = parseDate(page.localDate).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
  app.setTitle(`Run of ${when}`);
  const session = page.session;
  clear(main).append(
    h('div', { class: 'page-head' },
      h('h1', {}, `${own ? 'Your run' : `${dashboard.athlete.name}'s run`} of ${when}`),
      h('a', { class: 'button secondary', href: own ? '#/calendar' : `#/athletes/${athleteId}/calendar` }, 'Back to the calendar')),
    h('section', { class: 'card', 'aria-labelledby': 'run-title' },
      h('h2', { id: 'run-title' }, `${label(WORKOUTS, run.workout)} on ${label(SURFACES, run.surface).toLowerCase()}`),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Distance'), h('dd', {}, distance(run.distanceMeters, units, 2)),
        h('dt', {}, 'Time'), h('dd', {}, duration(run.durationSeconds)),
        h('dt', {}, 'Pace'), h('dd', {}, pace(page.paceSecondsPerKm, units)),
        h('dt', {}, 'Effort (RPE)'), h('dd', {}, `${run.sessionRpe}/10`),
        run.averageHeartRate ? [h('dt', {}, 'Heart rate'), h('dd', {}, `${run.averageHeartRate} bpm on average`)] : null,
        run.elevationGainMeters ? [h('dt', {}, 'Climb'), h('dd', {}, `${run.elevationGainMeters} m`)] : null,
        h('dt', {}, 'Started'), h('dd', {}, dateTime(run.startedAt)),
        run.source ? [h('dt', {}, 'From'), h('dd', {}, `a ${run.source.format.toUpperCase()} file`)] : null),
      session
        ? h('p', {}, `For the planned ${label(SESSION_TYPES, session.type).toLowerCase()} session`,
          session.distanceMeters ? ` of ${distance(session.distanceMeters, units)}` : session.durationSeconds ? ` of ${duration(session.durationSeconds)}` : '',
          page.compliance ? `: ${COLOUR_WORDS[page.compliance] ?? page.compliance}.` : '.')
        : h('p', { class: 'muted' }, 'No session was planned for this run.'),
      run.notes ? h('p', {}, h('strong', {}, 'Notes: '), run.notes) : null),
    ...(page.track.length > 1 ? [trackChart(page.track, units, run.averageHeartRate, charts)] : []),
    h('section', { class: 'card', 'aria-labelledby': 'reports-title' },
      h('h2', { id: 'reports-title' }, 'Report after the run'),
      page.reports.length
        ? h('ul', {}, page.reports.map((r) => h('li', {},
          `${dateTime(r.reportedAt)}: pain ${r.painNow}/10 now`,
          r.worstDuringRun !== undefined && r.worstDuringRun !== null ? `, worst ${r.worstDuringRun}/10 during the run` : '',
          r.nextMorningPain !== undefined && r.nextMorningPain !== null ? `, ${r.nextMorningPain}/10 the next morning` : '',
          r.redFlag ? h('strong', { class: 'red-flag' }, ' · red flag') : '')))
        : own ? h('p', { class: 'muted' }, 'No report for this run yet: ', h('a', { href: `#/report?run=${run.runId}` }, 'answer one now'), '.')
          : h('p', { class: 'muted' }, 'No report for this run yet.')),
    h('section', { class: 'card', 'aria-labelledby': 'raised-title' },
      h('h2', { id: 'raised-title' }, 'What it raised'),
      page.findings.length
        ? h('ul', { class: 'findings' }, page.findings.map((f) => h('li', { dataset: { finding: f.findingId } },
          severityBadge(f.severity), ' ', own ? f.message : f.coachMessage,
          h('span', { class: 'muted small' }, ` ${f.ruleId} · ${dateTime(f.raisedAt)}${f.pausedRunning ? ' · paused running' : ''}${f.resolvedAt ? ' · closed' : ' · open'}`))))
        : h('p', { class: 'muted' }, 'Nothing: no rule found anything to say about this run or its report.')));
  // The conversation about the run, and about each report after it.
  const threads = [threadPanel(athleteId, 'run', run.runId, own ? 'Talk to your coach about this run' : `Talk to ${dashboard.athlete.name} about this run`),
    ...page.reports.map((r) => threadPanel(athleteId, 'report', r.reportId, `About the report of ${dateTime(r.reportedAt)}`))];
  main.append(...threads.map((t) => t.element));
  return () => { charts.forEach((c) => c.destroy()); threads.forEach((t) => t.destroy()); };
}
