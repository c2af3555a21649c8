// One run: pace, time, the session it was for, the report answered after it, and what that raised.
import { get, put, del, newKey } from '../api.js';
import {
  h, clear, loading, failure, distance, duration, dateTime, parseDate, label, camel, severityBadge, WORKOUTS, SURFACES, SESSION_TYPES,
  input, select, textarea, formError, showApiError, busy, toUnits, toMeters, unitLabel, confirmButton,
} from '../ui.js';
import { metresToUnits } from './plan.js';
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
        : h('p', { class: 'muted' }, 'Nothing: no rule found anything to say about this run or its report.')),
    h('section', { class: 'card', 'aria-labelledby': 'changed-title' },
      h('h2', { id: 'changed-title' }, 'What changed because of it'),
      page.changes.length
        ? h('ul', { class: 'run-changes' }, page.changes.map((c) => h('li', { dataset: { change: c.kind } },
          c.text, c.at ? h('span', { class: 'muted small' }, ` · ${dateTime(c.at)}`) : null,
          c.weekStart ? [' ', h('a', { class: 'small', href: own ? `#/calendar?date=${c.weekStart}&view=week` : `#/athletes/${athleteId}/plan?from=${c.weekStart}` }, 'See the week')] : null)))
        : h('p', { class: 'muted' }, 'Nothing yet: it stands as logged, and no plan was changed because of it.')));
  if (own) main.append(corrections(athleteId, page, units, app));
  else main.append(await matchForm(athleteId, page, units, app));
  // The conversation about the run, and about each report after it.
  const threads = [threadPanel(athleteId, 'run', run.runId, own ? 'Talk to your coach about this run' : `Talk to ${dashboard.athlete.name} about this run`),
    ...page.reports.map((r) => threadPanel(athleteId, 'report', r.reportId, `About the report of ${dateTime(r.reportedAt)}`))];
  main.append(...threads.map((t) => t.element));
  return () => { charts.forEach((c) => c.destroy()); threads.forEach((t) => t.destroy()); };
}

/**
 * The athlete's own corrections (each an event after the first, the past kept): the run as it should have been, or
 * taken back; each report's pain as it should have been, or taken back unless it holds a red flag.
 */
function corrections(athleteId, page, units, app) {
  const run = page.run;
  const unit = unitLabel(units);
  const status = h('p', { class: 'small', role: 'status' });
  const reload = () => app.navigate(location.hash.slice(2).split('?')[0] + `?r=${Date.now()}`);
  const describe = (field, message) => metresToUnits(field, message, units);

  const shownDistance = toUnits(run.distanceMeters, units).toFixed(2);
  const shownMinutes = (run.durationSeconds / 60).toFixed(1);
  const runForm = h('form', { novalidate: true, class: 'correct-run' }, formError(),
    h('div', { class: 'inline-fields' },
      input('distanceMeters', `Distance (${unit})`, { type: 'number', inputmode: 'decimal', step: 'any', min: 0, value: shownDistance, short: 'Distance' }),
      input('durationSeconds', 'Time (minutes)', { type: 'number', inputmode: 'decimal', step: 'any', min: 0, value: shownMinutes, short: 'Time' })),
    h('div', { class: 'inline-fields' },
      select('workout', 'Kind of run', WORKOUTS, { value: camel(run.workout) }),
      select('surface', 'Surface', SURFACES, { value: camel(run.surface) }),
      select('sessionRpe', 'Effort (1-10)', Array.from({ length: 10 }, (_, i) => [String(i + 1), String(i + 1)]), { value: String(run.sessionRpe), short: 'Effort' })),
    textarea('notes', 'Notes', { maxlength: 2000, value: run.notes ?? '' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save the correction')));
  let runKey = newKey();
  runForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = runForm.elements;
    busy(runForm, async () => {
      try {
        await put(`/api/athletes/${athleteId}/runs/${run.runId}`, {
          // Fields left as shown keep their exact stored value: the rounding of what is shown must change nothing.
          startedAt: run.startedAt,
          distanceMeters: f.distanceMeters.value === shownDistance ? run.distanceMeters : toMeters(Number(f.distanceMeters.value), units),
          durationSeconds: f.durationSeconds.value === shownMinutes ? run.durationSeconds : Math.round(Number(f.durationSeconds.value) * 60),
          workout: f.workout.value, surface: f.surface.value, sessionRpe: Number(f.sessionRpe.value), elevationGainMeters: run.elevationGainMeters ?? 0,
          treadmillInclinePercent: run.treadmillInclinePercent ?? undefined, shoeId: run.shoeId ?? undefined, notes: f.notes.value,
        }, { idempotencyKey: runKey });
        runKey = newKey();
        reload();
      } catch (error) {
        showApiError(runForm, error, { describe });
      }
    });
  });
  const told = (error) => { status.textContent = error.summary ?? String(error); };
  const deleteRun = confirmButton('Delete this run', 'Delete it: it no longer counts anywhere', async () => {
    await del(`/api/athletes/${athleteId}/runs/${run.runId}`);
    app.navigate('calendar');
  }, told);

  const reportBoxes = page.reports.map((r) => {
    const form = h('form', { novalidate: true, class: 'correct-report', dataset: { report: r.reportId } }, formError(),
      h('div', { class: 'inline-fields' },
        input('pain.painNow', 'Pain then (0-10)', { type: 'number', min: 0, max: 10, value: r.painNow, short: 'Pain' }),
        input('pain.worstDuringRun', 'Worst during the run', { type: 'number', min: 0, max: 10, value: r.worstDuringRun ?? '', short: 'Worst pain' }),
        input('pain.nextMorningPain', 'Next morning', { type: 'number', min: 0, max: 10, value: r.nextMorningPain ?? '', short: 'Next morning' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Save the correction')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = (name) => (form.elements[name].value === '' ? undefined : Number(form.elements[name].value));
      busy(form, async () => {
        try {
          await put(`/api/athletes/${athleteId}/reports/${r.reportId}`,
            { pain: { painNow: value('pain.painNow'), worstDuringRun: value('pain.worstDuringRun'), nextMorningPain: value('pain.nextMorningPain') } });
          reload();
        } catch (error) {
          showApiError(form, error);
        }
      });
    });
    return h('div', {}, h('h3', {}, `The report of ${dateTime(r.reportedAt)}`), form,
      r.redFlag
        ? h('p', { class: 'small muted' }, 'This report has a red flag: it stays on record, and running stays paused until a professional has seen you.')
        : confirmButton('Delete this report', 'Delete it: it no longer counts anywhere', async () => {
          await del(`/api/athletes/${athleteId}/reports/${r.reportId}`);
          reload();
        }, told));
  });

  return h('details', { class: 'card corrections' },
    h('summary', {}, 'Correct or delete'),
    h('p', { class: 'small muted' }, 'A correction is kept beside what you first logged; your coach and the advice see the corrected figures.'),
    h('h3', {}, 'The run'), runForm,
    page.reports.length ? h('p', { class: 'small muted' }, 'A run with a report is corrected, not deleted: delete the report first.') : deleteRun,
    ...reportBoxes, status);
}

/** The coach says which planned session of the run's week it was for, or none. */
async function matchForm(athleteId, page, units, app) {
  let week;
  try {
    week = (await get(`/api/athletes/${athleteId}/plan?from=${page.localDate}&weeks=1`)).weeks[0];
  } catch {
    return h('p', { class: 'muted small' }, 'The plan could not be loaded to match this run.');
  }
  const runs = week.sessions.filter((s) => SESSION_TYPES.some(([v]) => v === camel(s.type)));
  const options = [['', 'No planned session'], ...runs.map((s) => [s.sessionId,
    `${parseDate(s.date).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' })}: ${label(SESSION_TYPES, s.type)}${s.distanceMeters ? `, ${distance(s.distanceMeters, units)}` : ''}`])];
  const form = h('form', { novalidate: true, class: 'match-run card' }, formError(),
    select('sessionId', 'Which planned session was this run for?', options, { value: page.session?.sessionId ?? '' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Save the match')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await put(`/api/athletes/${athleteId}/runs/${page.run.runId}/session`, { sessionId: form.elements.sessionId.value || null });
        app.navigate(location.hash.slice(2).split('?')[0] + `?r=${Date.now()}`);
      } catch (error) {
        showApiError(form, error);
      }
    });
  });
  return form;
}
