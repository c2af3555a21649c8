// The athlete's post-run report, made for a phone: log the run, score the pain, answer the eight red-flag
// questions (always all eight, each an explicit yes or no), send. Advice for anything urgent is shown at once,
// from the answer's findings.
import { get, post, newKey } from '../api.js';
import {
  h, clear, input, select, textarea, checkbox, radios, scale, formValue, formError, showErrors, showApiError, busy, advice,
  disclaimer, toMeters, unitLabel, camel, WORKOUTS, SURFACES, SEVERITY_RANK, day, label, SESSION_TYPES, distance,
} from '../ui.js';
import { metresToUnits } from './plan.js';

/** The red-flag questions, in the API's field names. Each needs a yes or a no. */
export const RED_FLAGS = [
  ['saddleNumbness', 'Any numbness or tingling around your groin, genitals, inner thighs or buttocks (where you would sit on a saddle)?'],
  ['bladderOrBowelChange', 'Any new trouble passing urine, or any loss of control of your bladder or bowels?'],
  ['bothLegsNumbOrWeak', 'Numbness, pins and needles or weakness in both legs?'],
  ['legWeakness', 'Does a leg feel newly weak, or weaker than before (for example a foot that slaps or catches)?'],
  ['feverOrUnwell', 'Do you have a fever, or feel generally unwell, along with the back pain?'],
  ['worseAtNight', 'Is the pain worse at night or when resting, and does not ease when you change position?'],
  ['unexplainedWeightLoss', 'Have you lost weight recently without trying?'],
  ['afterFallOrImpact', 'Did this pain start after a fall, a collision or another impact?'],
];

const LOCATIONS = [['', 'Not answered'], ['central', 'In the middle'], ['left', 'Left side'], ['right', 'Right side'], ['bothSides', 'Both sides']];
const SPREADS = [['', 'Not answered'], ['none', 'Stays in my back'], ['buttock', 'Into the buttock'], ['thigh', 'Down into the thigh'], ['belowKnee', 'Below the knee']];
const ONSETS = [['', 'Not answered'], ['duringRun', 'During the run'], ['rightAfter', 'Right after the run'], ['nextDay', 'The next day']];
const CHARACTERS = [['', 'Not answered'], ['dullAche', 'Dull ache'], ['stiffness', 'Stiffness'], ['sharp', 'Sharp'], ['shootingOrZingy', 'Shooting or electric']];
const YES_NO = [['true', 'Yes'], ['false', 'No']];

/** "2026-11-29T21:00" from the form as "2026-11-29T21:00:00-05:00": the time the athlete typed, with this device's offset then. */
export function withOffset(local) {
  const offset = -new Date(local).getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${local.length === 16 ? `${local}:00` : local}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

function localNow() {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export async function reportPage(main, { app, query }) {
  app.setTitle('Report a run');
  const me = app.me;
  let dashboard = null;
  try { dashboard = await get(`/api/athletes/${me.userId}/dashboard`); } catch { /* the form works without it */ }
  const units = camel(dashboard?.athlete.units) ?? 'kilometres';
  const unit = unitLabel(units);
  const shoes = (dashboard?.shoes ?? []).filter((s) => !s.retired);
  // A run is never logged against a session a red flag holds back.
  const held = new Set((dashboard?.thisWeek.suspended ?? []).map((x) => x.sessionId));
  const sessions = (dashboard?.thisWeek.sessions ?? []).filter((s) => WORKOUTS.some(([v]) => v === camel(s.type)) && !held.has(s.sessionId));

  const runFields = h('div', { class: 'run-fields' },
    input('startedAt', 'When did you start?', { type: 'datetime-local', value: localNow(), short: 'Start time' }),
    h('div', { class: 'inline-fields' },
      input('distanceMeters', `Distance (${unit})`, { type: 'number', inputmode: 'decimal', step: 'any', min: 0, short: 'Distance', required: true }),
      input('durationSeconds', 'Time (minutes)', { type: 'number', inputmode: 'numeric', step: 'any', min: 0, short: 'Time', required: true })),
    h('div', { class: 'inline-fields' },
      select('workout', 'Kind of run', WORKOUTS, { value: 'easy', short: 'Kind of run' }),
      select('surface', 'Surface', SURFACES, { value: 'road' })),
    scale('sessionRpe', 'How hard was it overall? (1 = very easy, 10 = flat out)', { from: 1, to: 10, scaleClass: 'rpe', short: 'Effort', ends: ['very easy', 'flat out'] }),
    h('details', { class: 'more' }, h('summary', {}, 'More about the run (optional)'),
      sessions.length ? select('plannedSessionId', 'Which planned session was it?', [['', 'None / not planned'], ...sessions.map((s) => [s.sessionId, `${day(s.date)}: ${label(SESSION_TYPES, s.type)}${s.distanceMeters ? `, ${distance(s.distanceMeters, units)}` : ''}`])]) : null,
      shoes.length ? select('shoeId', 'Shoes', [['', 'Not saying'], ...shoes.map((s) => [s.shoeId, s.name])]) : null,
      input('elevationGainMeters', 'Climb (metres)', { type: 'number', inputmode: 'numeric', min: 0, short: 'Climb' }),
      textarea('notes', 'Notes', { maxlength: 2000 })));

  const form = h('form', { novalidate: true, class: 'report-form', 'aria-labelledby': 'report-title' },
    h('h1', { id: 'report-title' }, 'Post-run report'),
    h('p', { class: 'muted' }, 'About a minute. Please answer every red-flag question: they are there to keep you safe.'),
    h('p', { class: 'small' }, 'Ran with a watch? ', h('a', { href: '#/import' }, 'Import its file'), ', then come back for the report.'),
    formError(),
    h('fieldset', { class: 'group' }, h('legend', {}, 'Your run'),
      checkbox('includeRun', 'Log a run with this report', { checked: true, hint: 'Untick to report pain without a run (e.g. the next morning).' }),
      runFields),
    h('fieldset', { class: 'group' }, h('legend', {}, 'Back pain'),
      scale('pain.painNow', 'Back pain right now (0 = none, 10 = worst imaginable)', { short: 'Pain now', ends: ['none', 'worst'], unit: ' out of 10' }),
      h('div', { class: 'when-run' }, scale('pain.worstDuringRun', 'Worst back pain during the run (optional)', { short: 'Worst pain during the run', ends: ['none', 'worst'], unit: ' out of 10' })),
      h('details', { class: 'more' }, h('summary', {}, 'Describe the pain (optional)'),
        scale('pain.painBeforeRun', 'Back pain before the run', { short: 'Pain before the run', unit: ' out of 10' }),
        scale('pain.nextMorningPain', 'Back pain the morning after (if reporting the next day)', { short: 'Next-morning pain', unit: ' out of 10' }),
        h('div', { class: 'inline-fields' },
          select('description.location', 'Where is it?', LOCATIONS, { short: 'Where' }),
          select('description.spreadsTo', 'Does it spread?', SPREADS, { short: 'Spread' }),
          select('description.onset', 'When did it start?', ONSETS, { short: 'Start' }),
          select('description.character', 'What does it feel like?', CHARACTERS, { short: 'Feel' })),
        checkbox('description.worseWithSitting', 'Worse when sitting'),
        checkbox('description.worseWithStanding', 'Worse when standing'),
        checkbox('description.worseWithBending', 'Worse when bending'),
        checkbox('description.hipTightness', 'Tight hips'),
        checkbox('description.gluteTightness', 'Tight glutes'),
        checkbox('description.hamstringTightness', 'Tight hamstrings'))),
    h('fieldset', { class: 'group red-flags' }, h('legend', {}, 'Red-flag questions (all eight)'),
      h('p', { class: 'small muted' }, 'Rare, but important: a “yes” to any of these needs a professional, whatever your pain score.'),
      RED_FLAGS.map(([name, question]) => radios(`redFlags.${name}`, question, YES_NO, { class: 'question', short: 'This question' }))),
    h('details', { class: 'more' }, h('summary', {}, 'Sleep, stress and worries (optional)'),
      h('div', { class: 'inline-fields' },
        input('context.sleepHours', 'Sleep last night (hours)', { type: 'number', inputmode: 'decimal', step: 'any', min: 0, max: 24, short: 'Sleep' }),
        input('context.sittingHours', 'Sitting today (hours)', { type: 'number', inputmode: 'decimal', step: 'any', min: 0, max: 24, short: 'Sitting' }),
        select('context.stress', 'Stress', [['', 'Not answered'], ['1', '1: very low'], ['2', '2: low'], ['3', '3: moderate'], ['4', '4: high'], ['5', '5: very high']], { short: 'Stress' }),
        select('context.fearOfHarm', 'How worried are you that running harms your back?', [['', 'Not answered'], ...Array.from({ length: 11 }, (_, i) => [String(i), `${i}${i === 0 ? ': not at all' : i === 10 ? ': very' : ''}`])], { short: 'Worry' }))),
    h('button', { type: 'submit', class: 'big' }, 'Send report'));

  const includeRun = form.elements.includeRun;
  const toggleRun = () => {
    runFields.hidden = !includeRun.checked;
    form.querySelector('.when-run').hidden = !includeRun.checked;
  };
  includeRun.addEventListener('change', toggleRun);
  toggleRun();

  const result = h('div', { tabindex: '-1', class: 'report-result' });
  let savedRun = null; // once logged, a retry of the report does not log the run again
  // A report on a run imported from a watch: the run is logged already.
  const imported = query?.get('run');
  if (imported && /^[0-9a-f-]{36}$/i.test(imported)) {
    savedRun = { runId: imported };
    runFields.replaceChildren(h('p', { class: 'imported-run' }, 'This report is about the run you imported.'));
    includeRun.closest('.field').hidden = true;
  }
  // One key per submission, kept until it succeeds: a retry after a timeout is answered as the first try was,
  // so a run that did reach the server is not logged twice.
  let runKey = newKey();
  let reportKey = newKey();

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (name) => formValue(form, name);
    const num = (name) => (v(name) === undefined ? undefined : Number(v(name)));
    const withRun = includeRun.checked && !savedRun;

    const missing = {};
    if (withRun) {
      if (v('distanceMeters') === undefined) missing.distanceMeters = ['Enter how far you ran.'];
      if (v('durationSeconds') === undefined) missing.durationSeconds = ['Enter how long you ran, in minutes.'];
      if (v('sessionRpe') === undefined) missing.sessionRpe = ['Pick how hard it felt, 1 to 10.'];
      if (v('startedAt') === undefined) missing.startedAt = ['Enter when you started.'];
    }
    if (v('pain.painNow') === undefined) missing['pain.painNow'] = ['Pick your pain right now, 0 to 10 (0 if none).'];
    for (const [name] of RED_FLAGS) if (v(`redFlags.${name}`) === undefined) missing[`redFlags.${name}`] = ['Please answer yes or no.'];
    if (Object.keys(missing).length) { showErrors(form, missing); return; }

    const run = withRun ? {
      startedAt: withOffset(v('startedAt')),
      distanceMeters: toMeters(num('distanceMeters'), units),
      durationSeconds: Math.round(num('durationSeconds') * 60),
      workout: v('workout'),
      surface: v('surface'),
      sessionRpe: num('sessionRpe'),
      elevationGainMeters: num('elevationGainMeters'),
      shoeId: v('shoeId'),
      plannedSessionId: v('plannedSessionId'),
      notes: v('notes'),
    } : null;

    const description = {};
    for (const key of ['location', 'spreadsTo', 'onset', 'character']) if (v(`description.${key}`)) description[key] = v(`description.${key}`);
    for (const key of ['worseWithSitting', 'worseWithStanding', 'worseWithBending', 'hipTightness', 'gluteTightness', 'hamstringTightness']) {
      if (form.elements[`description.${key}`].checked) description[key] = true;
    }
    const context = {};
    for (const key of ['sleepHours', 'sittingHours', 'stress', 'fearOfHarm']) if (v(`context.${key}`) !== undefined) context[key] = num(`context.${key}`);
    const report = {
      pain: {
        painNow: num('pain.painNow'),
        worstDuringRun: includeRun.checked ? num('pain.worstDuringRun') : undefined,
        painBeforeRun: num('pain.painBeforeRun'),
        nextMorningPain: num('pain.nextMorningPain'),
      },
      redFlags: Object.fromEntries(RED_FLAGS.map(([name]) => [name, v(`redFlags.${name}`) === 'true'])),
      description: Object.keys(description).length ? description : undefined,
      context: Object.keys(context).length ? context : undefined,
    };

    busy(form, async () => {
      const describe = (field, message) => metresToUnits(field, message, units);
      let runAnswer = savedRun;
      if (run) {
        try {
          runAnswer = await post(`/api/athletes/${me.userId}/runs`, run, { idempotencyKey: runKey });
          savedRun = runAnswer;
          runKey = newKey();
        } catch (error) {
          showApiError(form, error, { describe });
          return;
        }
      }
      let reportAnswer;
      try {
        reportAnswer = await post(`/api/athletes/${me.userId}/reports`, { ...report, runId: includeRun.checked ? runAnswer?.runId : undefined }, { idempotencyKey: reportKey });
        reportKey = newKey();
      } catch (error) {
        showApiError(form, error, { describe, summary: savedRun ? 'Your run is saved; the report is not yet.' : undefined });
        return;
      }
      showResult([...(runAnswer?.findings ?? []), ...reportAnswer.findings], reportAnswer.disclaimer);
    });
  });

  function showResult(findings, disclaimerText) {
    form.hidden = true;
    const sorted = [...findings].sort((a, b) => SEVERITY_RANK[camel(b.severity)] - SEVERITY_RANK[camel(a.severity)]);
    const serious = sorted.filter((f) => SEVERITY_RANK[camel(f.severity)] >= SEVERITY_RANK.urgent);
    const rest = sorted.filter((f) => SEVERITY_RANK[camel(f.severity)] < SEVERITY_RANK.urgent);
    const emergency = serious.some((f) => camel(f.severity) === 'emergency');
    clear(result).append(
      serious.length
        ? h('section', { class: 'alarm', role: 'alert', dataset: { severity: emergency ? 'emergency' : 'urgent' } },
          h('h2', {}, emergency ? 'Get emergency medical care now' : 'Stop running and get checked by a professional'),
          serious.map((f) => h('div', { dataset: { finding: f.findingId } },
            h('p', {}, f.message),
            h('p', { class: 'action' }, f.recommendedAction))),
          h('p', {}, 'Your coach has been alerted.'),
          disclaimer(disclaimerText))
        : h('section', { class: 'card', role: 'status' },
          h('h1', {}, 'Report saved'),
          // An all-clear ("fine to continue") is advice too, but nothing to keep an eye on.
          h('p', {}, rest.some((f) => SEVERITY_RANK[camel(f.severity)] >= SEVERITY_RANK.watch)
            ? 'Thanks. There is something to keep an eye on:' : 'Thanks. Nothing in this report needs action. Keep it up.')),
      ...rest.map((f) => advice({ severity: f.severity, message: f.message, action: f.recommendedAction, ruleId: f.ruleId, disclaimerText })),
      h('div', { class: 'row', style: 'margin-top:12px' },
        h('button', { type: 'button', class: 'secondary', onclick: () => app.navigate('report?new=' + Date.now()) }, 'New report'),
        h('a', { class: 'button secondary', href: '#/week' }, 'This week’s plan')));
    result.focus();
    result.scrollIntoView({ block: 'start' });
  }

  main.append(result, form);
}
