// An athlete's runs and reports, newest first, a page at a time.
import { get } from './api.js';
import { h, clear, distance, duration, dateTime, label, camel, WORKOUTS, SURFACES, empty, loading, failure } from './ui.js';

const PAGE_SIZE = 15;
const FLAG_TEXT = {
  saddleNumbness: 'saddle numbness', bladderOrBowelChange: 'bladder or bowel change', bothLegsNumbOrWeak: 'both legs numb or weak',
  legWeakness: 'leg weakness', feverOrUnwell: 'fever or unwell', worseAtNight: 'worse at night', unexplainedWeightLoss: 'unexplained weight loss',
  afterFallOrImpact: 'after a fall or impact',
};

function runItem(item, units) {
  const r = item.details;
  return h('li', { dataset: { kind: 'run' } },
    h('div', { class: 'row' }, h('strong', {}, `Run: ${distance(r.distanceMeters, units, 2)}`), h('span', { class: 'muted small' }, dateTime(item.at))),
    h('div', { class: 'small' }, [
      duration(r.durationSeconds), label(WORKOUTS, r.workout), label(SURFACES, r.surface), `effort ${r.sessionRpe}/10`,
      r.elevationGainMeters ? `${r.elevationGainMeters} m climb` : null,
    ].filter(Boolean).join(' · ')),
    r.notes ? h('div', { class: 'small muted wrap-anywhere' }, `“${r.notes}”`) : null);
}

function reportItem(item) {
  const r = item.details;
  const flags = Object.entries(r.redFlags ?? {}).filter(([, v]) => v === true).map(([k]) => FLAG_TEXT[camel(k)] ?? k);
  const p = r.pain ?? {};
  return h('li', { dataset: { kind: 'report' } },
    h('div', { class: 'row' }, h('strong', {}, `Report: pain ${p.painNow}/10 now`),
      flags.length ? h('span', { class: 'badge sev-emergency' }, `Red flag: ${flags.join(', ')}`) : null,
      h('span', { class: 'muted small' }, dateTime(item.at))),
    h('div', { class: 'small' }, [
      p.worstDuringRun !== undefined && p.worstDuringRun !== null ? `worst during run ${p.worstDuringRun}/10` : null,
      p.nextMorningPain !== undefined && p.nextMorningPain !== null ? `next morning ${p.nextMorningPain}/10` : null,
      p.painBeforeRun !== undefined && p.painBeforeRun !== null ? `before the run ${p.painBeforeRun}/10` : null,
      r.context?.sleepHours !== undefined && r.context?.sleepHours !== null ? `slept ${r.context.sleepHours} h` : null,
    ].filter(Boolean).join(' · ')));
}

export function historyList(athleteId, units) {
  const box = h('div', {}, loading());
  let page = 1;
  async function load() {
    try {
      const result = await get(`/api/athletes/${athleteId}/history?page=${page}&pageSize=${PAGE_SIZE}`);
      const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
      if (result.total === 0) { clear(box).append(empty('No runs or reports yet: runs logged or imported, and the reports answered after them, are listed here.')); return; }
      clear(box).append(
        h('ul', { class: 'history', 'aria-label': 'Runs and reports, newest first' },
          result.items.map((item) => (item.kind === 'run' ? runItem(item, units) : reportItem(item)))),
        h('div', { class: 'pager' },
          h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => { page -= 1; load(); } }, 'Newer'),
          h('span', { class: 'small muted' }, `Page ${page} of ${pages}`),
          h('button', { type: 'button', class: 'secondary', disabled: page >= pages, onclick: () => { page += 1; load(); } }, 'Older')));
    } catch (error) {
      clear(box).append(failure(error, load));
    }
  }
  load();
  box.reload = () => { page = 1; return load(); };
  return box;
}
