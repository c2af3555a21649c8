// The athlete's own pages: this week's plan (and next), history with their charts, shoes.
import { get, post, newKey } from '../api.js';
import {
  h, clear, input, formError, showApiError, busy, advice, empty, loading, failure, debounce, distance, toMeters, toUnits,
  unitLabel, isoDate, mondayOf, day, camel,
} from '../ui.js';
import { onLive } from '../live.js';
import { sessionList, adjustmentSummary, pausedNote } from '../sessions.js';
import { historyList } from '../history.js';
import { weeklyDistanceChart, painChart } from '../charts.js';
import { metresToUnits } from './plan.js';

/** The shoe mileage the CX-SHOE finding talks about; the bar turns red past it. */
const WORN_METERS = 800_000;

export async function weekPage(main, { app }) {
  app.setTitle('This week');
  const id = app.me.userId;
  const body = h('div', {}, loading());
  main.append(h('div', { class: 'page-head' }, h('h1', {}, 'This week'), h('a', { class: 'button', href: '#/report' }, 'Report a run')), body);

  async function refresh() {
    let dashboard; let calendar;
    try {
      [dashboard, calendar] = await Promise.all([
        get(`/api/athletes/${id}/dashboard`),
        get(`/api/athletes/${id}/plan?from=${isoDate(mondayOf(new Date()))}&weeks=2`),
      ]);
    } catch (error) {
      clear(body).append(failure(error, refresh));
      return;
    }
    const units = camel(dashboard.athlete.units);
    const w = dashboard.thisWeek;
    const [thisWeek, nextWeek] = calendar.weeks;
    clear(body);
    if (!dashboard.athlete.squadId) body.append(joinSquadCard(refresh));
    if (dashboard.openFindings.length) {
      body.append(h('section', { class: 'card', 'aria-labelledby': 'advice-title' }, h('h2', { id: 'advice-title' }, 'Advice for you'),
        dashboard.openFindings.map((f) => advice({ severity: f.severity, message: f.message, action: f.recommendedAction, raisedAt: f.raisedAt, disclaimerText: dashboard.disclaimer }))));
    }
    body.append(h('section', { class: 'card', 'aria-labelledby': 'this-week' },
      h('h2', { id: 'this-week' }, `Week of ${day(w.weekStart)}`),
      h('p', {}, `${distance(w.doneMeters, units)} done of ${distance(w.plannedMeters, units)} planned`,
        w.compliance ? h('span', { class: `comp-${camel(w.compliance.status)}` }, ` (${w.compliance.percent}%)`) : null),
      thisWeek?.adjustment ? h('div', { class: 'in-force' }, adjustmentSummary(thisWeek.adjustment, units, 'Your plan changed')) : null,
      pausedNote(w.suspended),
      w.sessions.length ? sessionList(w.sessions, units, { suspended: w.suspended }) : empty(calendar.started ? 'Nothing planned this week yet.' : 'Your coach has not set up your plan yet.')));
    if (nextWeek) {
      body.append(h('section', { class: 'card', 'aria-labelledby': 'next-week' },
        h('h2', { id: 'next-week' }, `Next week (from ${day(nextWeek.weekStart)})`),
        nextWeek.adjustment ? h('div', { class: 'in-force' }, adjustmentSummary(nextWeek.adjustment, units, 'Your plan changed')) : null,
        nextWeek.proposal && !nextWeek.proposalVoidedBy ? h('p', { class: 'small muted' }, 'A change to next week is waiting for your coach.') : null,
        pausedNote(nextWeek.suspended),
        sessionList(nextWeek.sessions, units, { suspended: nextWeek.suspended })));
    }
  }

  const off = onLive(['planAdjusted', 'reconnected'], debounce(refresh, 200));
  await refresh();
  return off;
}

function joinSquadCard(done) {
  const form = h('form', { novalidate: true, class: 'row', style: 'align-items:flex-end' },
    formError(),
    h('div', { style: 'flex:1 1 12em' }, input('inviteCode', 'Invite code')),
    h('button', { type: 'submit', style: 'margin-bottom:14px' }, 'Join'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await post('/api/squads/join', { inviteCode: form.elements.inviteCode.value.trim() || null }, { idempotencyKey: newKey() });
        await done();
      } catch (error) {
        showApiError(form, error);
      }
    });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'join-title' },
    h('h2', { id: 'join-title' }, 'Join your coach’s squad'),
    h('p', { class: 'small muted' }, 'Enter the invite code your coach gave you.'),
    form);
}

export async function historyPage(main, { app }) {
  app.setTitle('History');
  const id = app.me.userId;
  const charts = [];
  main.append(h('h1', {}, 'History'));
  let dashboard;
  try {
    dashboard = await get(`/api/athletes/${id}/dashboard`);
  } catch (error) {
    main.append(failure(error, () => app.navigate('history?r=' + Date.now())));
    return undefined;
  }
  const units = camel(dashboard.athlete.units);
  main.append(
    h('div', { class: 'grid grid-2' }, weeklyDistanceChart(dashboard.weeks, units, charts), painChart(dashboard.pain, charts)),
    h('section', { class: 'card', 'aria-labelledby': 'runs-title' }, h('h2', { id: 'runs-title' }, 'Runs and reports'), historyList(id, units)));
  return () => charts.forEach((c) => c.destroy());
}

export async function shoesPage(main, { app }) {
  app.setTitle('Shoes');
  const id = app.me.userId;
  const list = h('div', {}, loading());
  let units = 'kilometres';

  const form = h('form', { novalidate: true },
    formError(),
    input('name', 'Name', { placeholder: 'e.g. Pegasus 41 (blue)', maxlength: 100 }),
    input('startingDistanceMeters', 'Distance already run in them', { type: 'number', inputmode: 'decimal', step: 'any', min: 0, hint: 'Leave empty for new shoes.', short: 'Distance already run' }),
    h('button', { type: 'submit' }, 'Add shoes'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const start = form.elements.startingDistanceMeters.value.trim();
    busy(form, async () => {
      try {
        await post(`/api/athletes/${id}/shoes`, { name: form.elements.name.value, startingDistanceMeters: start === '' ? null : toMeters(Number(start), units) }, { idempotencyKey: newKey() });
        form.reset();
        await refresh();
      } catch (error) {
        showApiError(form, error, { describe: (field, message) => metresToUnits(field, message, units) });
      }
    });
  });

  async function refresh() {
    try {
      const dashboard = await get(`/api/athletes/${id}/dashboard`);
      units = camel(dashboard.athlete.units);
      form.querySelector('[data-field="startingDistanceMeters"] label').textContent = `Distance already run in them (${unitLabel(units)})`;
      const shoes = dashboard.shoes;
      if (!shoes.length) { clear(list).append(empty('No shoes yet. Add the pair you run in, and CoachHub keeps count of their distance.')); return; }
      clear(list).append(h('ul', { class: 'plain-list' }, shoes.map((s) => h('li', { class: 'card', dataset: { shoe: s.shoeId } },
        h('div', { class: 'row' },
          h('strong', { style: 'margin-right:auto' }, s.name),
          s.retired ? h('span', { class: 'badge' }, 'Retired') : retireButton(s)),
        h('p', {}, `${distance(s.meters, units, 0)} run in them`),
        h('div', { class: `meter${s.meters >= WORN_METERS ? ' worn' : ''}`, role: 'img', 'aria-label': `${Math.round(toUnits(s.meters, units))} of about ${Math.round(toUnits(WORN_METERS, units))} ${unitLabel(units)}` },
          h('span', { style: `width:${Math.min(100, (s.meters / WORN_METERS) * 100).toFixed(0)}%` })),
        !s.retired && s.meters >= WORN_METERS ? h('p', { class: 'small' }, 'These have done a lot of distance: worn cushioning can add to aches. Consider a new pair.') : null))));
    } catch (error) {
      clear(list).append(failure(error, refresh));
    }
  }

  function retireButton(shoe) {
    return h('button', {
      type: 'button', class: 'secondary', 'aria-label': `Retire ${shoe.name}`,
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await post(`/api/athletes/${id}/shoes/${shoe.shoeId}/retire`, undefined, { idempotencyKey: newKey() });
          await refresh();
        } catch (error) {
          e.target.disabled = false;
          e.target.after(h('span', { class: 'error', role: 'alert' }, error.summary));
        }
      },
    }, 'Retire');
  }

  main.append(h('h1', {}, 'Shoes'),
    h('div', { class: 'grid grid-2' },
      h('section', { 'aria-label': 'Your shoes' }, list),
      h('section', { class: 'card', 'aria-labelledby': 'add-shoe' }, h('h2', { id: 'add-shoe' }, 'Add shoes'), form)));
  await refresh();
  return undefined;
}
