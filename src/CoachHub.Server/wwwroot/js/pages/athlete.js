// A coach's view of one athlete: open findings with their advice, this week, the charts, the history.
import { get, post, api, formKey, keySucceeded } from '../api.js';
import {
  h, clear, input, textarea, formError, showApiError, busy, advice, empty, loading, failure, debounce, dateTime, distance,
  isoDate, SEVERITY_RANK, camel, keepTyping,
} from '../ui.js';
import { onLive } from '../live.js';
import { weeklyDistanceChart, loadChart, painChart, shoeChart } from '../charts.js';
import { fitnessPanel } from '../fitness.js';
import { historyList } from '../history.js';
import { sessionList, pausedNote } from '../sessions.js';
import { unitsForAthlete } from '../squads.js';
import { acknowledgeForm } from './inbox.js';
import { threadsCard } from '../thread.js';

export async function athletePage(main, { params, app }) {
  const id = params.id;
  main.append(loading());
  const charts = [];
  const destroyCharts = () => { charts.splice(0).forEach((c) => c.destroy()); };
  let units = 'kilometres';

  const head = h('div', { class: 'page-head' });
  const findingsBox = h('section', { class: 'card', 'aria-labelledby': 'findings-title' });
  const weekBox = h('section', { class: 'card', 'aria-labelledby': 'week-title' });
  const chartBox = h('div', { class: 'grid grid-2', 'aria-label': 'Charts' });
  const historyBox = h('section', { class: 'card', 'aria-labelledby': 'history-title' });
  const fitness = fitnessPanel(id);
  const threads = threadsCard(id, (runId) => `#/athletes/${id}/runs/${runId}`);
  let history = null;

  async function refresh() {
    let dashboard; let trend;
    try {
      [dashboard, trend] = await Promise.all([get(`/api/athletes/${id}/dashboard`), get(`/api/athletes/${id}/load?days=84`)]);
    } catch (error) {
      clear(main).append(h('h1', {}, 'Athlete'), failure(error, refresh));
      return;
    }
    if (!main.contains(head)) {
      units = await unitsForAthlete(dashboard.athlete.squadId, camel(dashboard.athlete.units));
      clear(main).append(head, findingsBox, threads.element, weekBox, chartBox, fitness.element, historyBox);
    }
    const a = dashboard.athlete;
    app.names.set(id, a.name);
    app.setTitle(a.name);
    clear(head).append(
      h('h1', {}, a.name),
      h('span', { class: 'muted small' }, `Time zone ${a.timeZone}`),
      h('a', { class: 'button secondary', href: `#/athletes/${id}/calendar` }, 'Calendar'),
      h('a', { class: 'button secondary', href: `#/athletes/${id}/plan` }, 'Plan calendar'),
      h('a', { class: 'button secondary', href: `/api/athletes/${id}/history.csv`, download: '' }, 'History as CSV'),
      h('a', { class: 'button secondary', href: '#/board' }, 'Back to the board'),
      a.squadId ? removeButton(a) : null);
    keepTyping(findingsBox, () => renderFindings(dashboard));
    renderWeek(dashboard);
    destroyCharts();
    clear(chartBox).append(
      weeklyDistanceChart(dashboard.weeks, units, charts),
      loadChart(trend.days, dashboard.acuteChronic, charts),
      painChart(dashboard.pain, charts),
      shoeChart(dashboard.shoes, units, charts));
    fitness.refresh();
    if (!history) {
      history = historyList(id, units);
      historyBox.append(h('h2', { id: 'history-title' }, 'History'), history);
    } else {
      history.reload();
    }
  }

  function renderFindings(dashboard) {
    const open = dashboard.openFindings;
    clear(findingsBox).append(h('h2', { id: 'findings-title' }, 'Open findings'));
    if (open.length === 0) {
      findingsBox.append(h('p', { class: 'muted' }, 'Nothing open. Findings from runs and reports appear here with their advice.'));
      return;
    }
    for (const f of open) {
      findingsBox.append(h('div', { dataset: { finding: f.findingId } }, advice({
        // The coach's wording ("Ana's back..."), not the athlete's ("Your back...").
        severity: f.severity, message: f.coachMessage ?? f.message, action: f.recommendedAction, actionLabel: 'Advice given to the athlete', ruleId: f.ruleId, raisedAt: f.raisedAt,
        disclaimerText: dashboard.disclaimer,
        extra: [f.acknowledgedAt
          ? h('p', { class: 'small form-ok' }, `Acknowledged ${dateTime(f.acknowledgedAt)}.`)
          : acknowledgeForm({ ...f, athleteId: id, athleteName: dashboard.athlete.name }, refresh),
        findingNotes(f.findingId)],
      })));
    }
    if (open.some((f) => SEVERITY_RANK[camel(f.severity)] >= SEVERITY_RANK.urgent)) findingsBox.append(clearanceForm(refresh));
  }

  /** The finding's history of coaches' notes, and a note to add ("called her, physio on Tuesday"). */
  function findingNotes(findingId) {
    const list = h('ul', { class: 'notes' });
    const form = h('form', { novalidate: true, class: 'note-form' }, formError(),
      textarea('note', 'Add a note to this alert', { maxlength: 2000, rows: 2, hint: 'For the coaches only: a call made, a referral, what was agreed.' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Add note')));
    const box = h('details', { class: 'finding-notes' }, h('summary', {}, 'History and notes'), list, form);
    const url = `/api/athletes/${id}/findings/${encodeURIComponent(findingId)}`;
    async function load() {
      try {
        const history = await get(url);
        clear(list).append(...(history.notes.length
          ? history.notes.map((n) => h('li', {}, h('span', { class: 'small muted' }, `${n.coachName}, ${dateTime(n.notedAt)}: `), n.note))
          : [h('li', { class: 'muted' }, 'No notes yet.')]));
      } catch (error) {
        clear(list).append(h('li', {}, failure(error, load)));
      }
    }
    box.addEventListener('toggle', () => { if (box.open) load(); });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await busy(form, async () => {
        try {
          await post(`${url}/notes`, { note: form.elements.note.value }, { idempotencyKey: formKey(form) });
          keySucceeded(form);
          form.elements.note.value = '';
          await load();
        } catch (error) {
          showApiError(form, error);
        }
      });
    });
    return box;
  }

  function renderWeek(dashboard) {
    const w = dashboard.thisWeek;
    const c = w.compliance;
    clear(weekBox).append(
      h('h2', { id: 'week-title' }, 'This week'),
      h('p', {}, `${distance(w.doneMeters, units)} done of ${distance(w.plannedMeters, units)} planned`,
        c ? h('span', { class: `comp-${camel(c.status)}` }, ` · ${c.percent}% of plan`) : null),
      ...[pausedNote(w.suspended)].filter(Boolean),
      sessionList(w.sessions, units, { suspended: w.suspended }));
  }

  /** Takes the athlete out of the squad, after a second click that says what it means. */
  function removeButton(a) {
    const button = h('button', { type: 'button', class: 'secondary' }, 'Remove from squad');
    button.addEventListener('click', async () => {
      if (button.dataset.confirm !== 'yes') {
        button.dataset.confirm = 'yes';
        button.textContent = `Remove ${a.name}: no coach of the squad will see them any more`;
        return;
      }
      button.disabled = true;
      try {
        await api('DELETE', `/api/squads/${a.squadId}/athletes/${id}`);
        app.navigate('board');
      } catch (error) {
        button.disabled = false;
        button.textContent = error.summary ?? 'Could not remove the athlete';
      }
    });
    return button;
  }

  /** A professional has assessed the athlete and cleared them: running may resume (return-to-run). */
  function clearanceForm(done) {
    const form = h('form', { novalidate: true, class: 'editor', dataset: { keep: 'clearance' } },
      h('h3', {}, 'Record clearance to run'),
      h('p', { class: 'small muted' }, 'Only once a healthcare professional has assessed the athlete and cleared them. Running then restarts gently with walk-run weeks.'),
      formError(),
      h('div', { class: 'inline-fields' },
        input('assessedBy', 'Assessed by', { placeholder: 'e.g. Dr Byrne, GP' }),
        input('assessedOn', 'Assessed on', { type: 'date', value: isoDate(new Date()) })),
      textarea('note', 'Note (optional)', { maxlength: 2000 }),
      h('button', { type: 'submit' }, 'Record clearance'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const body = { assessedBy: form.elements.assessedBy.value.trim() || null, assessedOn: form.elements.assessedOn.value || null };
          const note = form.elements.note.value.trim();
          if (note) body.note = note;
          await post(`/api/athletes/${id}/clearance`, body, { idempotencyKey: formKey(form) });
          keySucceeded(form);
          await done();
        } catch (error) {
          showApiError(form, error);
        }
      });
    });
    return form;
  }

  const refreshSoon = debounce(refresh, 200);
  const off = onLive(['findingRaised', 'alertAcknowledged', 'runLogged', 'painReportSubmitted', 'planAdjusted', 'adjustmentProposed', 'reconnected'], (m) => {
    if (!m || m.athleteId === id) refreshSoon();
  });
  await refresh();
  if (!main.contains(head) && !main.querySelector('.form-error')) main.append(empty('This athlete could not be shown.'));
  return () => { off(); destroyCharts(); fitness.destroy(); threads.destroy(); };
}
