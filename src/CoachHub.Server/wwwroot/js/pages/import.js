// Runs from a watch: GPX and TCX files (alone, gzipped or zipped) go to the server as they are; FIT files are read
// here with Garmin's FIT SDK and posted as runs. One effort and kind of run for the lot, asked as on the report.
import { get, post, ApiError } from '../api.js';
import {
  h, clear, select, scale, formError, formValue, showErrors, showApiError, clearErrors, busy, distance, duration, dateTime, camel, WORKOUTS, SURFACES,
} from '../ui.js';
import { runFromFit, FitFileError } from '../fit.js';

const isFit = (file) => /\.fit$/i.test(file.name);

export async function importPage(main, { app }) {
  app.setTitle('Import runs');
  const id = app.me.userId;
  let units = 'kilometres';
  try { units = camel((await get(`/api/athletes/${id}/dashboard`)).athlete.units); } catch { /* kilometres, then */ }
  const files = h('input', { id: 'import-files', type: 'file', name: 'files', multiple: true, accept: '.gpx,.tcx,.fit,.gz,.zip' });
  const results = h('section', { class: 'card', 'aria-labelledby': 'imported-title', hidden: true });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'import-title' },
    h('h1', { id: 'import-title' }, 'Import runs from a watch'),
    h('p', { class: 'muted' }, 'FIT, GPX or TCX files as Garmin Connect, Coros, Polar Flow, Suunto or Strava export them; several at once, gzipped or in a zip. A file imported before is not logged again.'),
    formError(),
    h('div', { class: 'field', dataset: { field: 'files', name: 'Files' } },
      h('label', { for: 'import-files' }, 'Files'), files, h('p', { class: 'error' })),
    h('div', { class: 'inline-fields' },
      select('workout', 'Kind of run', WORKOUTS, { value: 'easy', short: 'Kind of run' }),
      select('surface', 'Surface', SURFACES, { value: 'road' })),
    scale('sessionRpe', 'How hard were they overall? (1 = very easy, 10 = flat out)', { from: 1, to: 10, scaleClass: 'rpe', short: 'Effort', ends: ['very easy', 'flat out'] }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Import')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const chosen = [...files.files];
    const errors = {};
    if (!chosen.length) errors.files = 'Choose at least one file.';
    const rpe = formValue(form, 'sessionRpe');
    if (!rpe) errors.sessionRpe = 'Say how hard the runs felt.';
    if (Object.keys(errors).length) { showErrors(form, errors); return; }
    const workout = formValue(form, 'workout');
    const surface = formValue(form, 'surface');
    await busy(form, async () => {
      try {
        // FIT files first, each read here; a damaged one stops the import before anything is sent.
        const fits = [];
        for (const file of chosen.filter(isFit)) fits.push([file.name, await runFromFit(file)]);
        const answers = [];
        const others = chosen.filter((f) => !isFit(f));
        if (others.length) {
          const body = new FormData();
          body.append('workout', workout);
          body.append('surface', surface);
          body.append('sessionRpe', rpe);
          for (const file of others) body.append('files', file, file.name);
          const answer = await upload(`/api/athletes/${id}/imports`, body);
          answers.push(...answer.runs.map((r) => ({ ...r, already: r.status === 'alreadyImported' })));
        }
        for (const [name, run] of fits) {
          const answer = await post(`/api/athletes/${id}/runs`, { ...run, workout, surface, sessionRpe: Number(rpe) });
          answers.push({ file: name, runId: answer.runId, already: answer.alreadyLogged, findings: answer.findings, ...run });
        }
        show(answers);
        files.value = '';
      } catch (error) {
        if (error instanceof FitFileError) showErrors(form, { files: error.message });
        else showApiError(form, error);
      }
    });
  });

  function show(answers) {
    results.hidden = false;
    clear(results).append(h('h2', { id: 'imported-title' }, 'Imported'),
      h('ul', { class: 'imported' }, answers.map((r) => h('li', { dataset: { file: r.file } },
        h('a', { href: `#/runs/${r.runId}` }, `${dateTime(r.startedAt)}: ${distance(r.distanceMeters, units)} in ${duration(r.durationSeconds)}`),
        r.averageHeartRate ? ` · ${r.averageHeartRate} bpm` : '',
        h('span', { class: 'muted small' }, r.already ? ` (${r.file}: already imported)` : ` (${r.file})`),
        ' ', h('a', { class: 'small', href: `#/report?run=${r.runId}` }, 'Report on this run'),
        // What the run raised, in the triage's own words for the athlete: a note on load reads as one, not as a warning.
        (r.findings ?? []).length ? h('ul', { class: 'small imported-findings' }, r.findings.map((f) => h('li', {}, f.message))) : null))));
  }

  main.append(form, results);
}

/** A multipart POST through the same error handling as the JSON calls. */
async function upload(path, body) {
  let response;
  try {
    response = await fetch(path, { method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError(0, { title: 'Offline' });
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { title: text.slice(0, 200) }; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
