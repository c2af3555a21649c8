// The athlete's own pages: this week's plan (and next), history with their charts, shoes.
import { get, post, newKey, formKey, keySucceeded } from '../api.js';
import {
  h, clear, input, formError, showApiError, busy, advice, empty, loading, failure, debounce, distance, toMeters, toUnits,
  unitLabel, isoDate, mondayOf, day, camel,
} from '../ui.js';
import { onLive } from '../live.js';
import { sessionList, adjustmentSummary, pausedNote } from '../sessions.js';
import { historyList } from '../history.js';
import { weeklyDistanceChart, painChart } from '../charts.js';
import { fitnessPanel } from '../fitness.js';
import { metresToUnits } from './plan.js';
import { threadsCard } from '../thread.js';

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
    // Not in a squad yet: joining comes first. In one: the squad card sits below the weeks.
    if (!dashboard.athlete.squadId) body.append(squadCard(dashboard.athlete, refresh));
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
    if (dashboard.athlete.squadId) body.append(squadCard(dashboard.athlete, refresh));
  }

  const off = onLive(['planAdjusted', 'findingRaised', 'reconnected'], debounce(refresh, 200));
  // Messages from the coach about runs and reports, with what is new.
  const threads = threadsCard(id, (runId) => `#/runs/${runId}`);
  main.append(threads.element);
  await refresh();
  return () => { off(); threads.destroy(); };
}

/**
 * The squad the athlete trains in (one at a time): join one with a code, move to another (asked first, because the
 * current coach stops seeing them), or leave.
 */
function squadCard(athlete, done) {
  const inSquad = Boolean(athlete.squadId);
  const form = h('form', { novalidate: true, class: 'row', style: 'align-items:flex-end' },
    formError(),
    h('div', { style: 'flex:1 1 12em' }, input('inviteCode', inSquad ? 'Invite code of another squad' : 'Invite code')),
    h('button', { type: 'submit', style: 'margin-bottom:14px' }, inSquad ? 'Move' : 'Join'));
  const confirmBox = h('div', { 'aria-live': 'polite' });
  // One key per move, so a retry after a lost answer finishes the same move.
  let key = newKey();
  async function join(confirmMove) {
    await post('/api/squads/join', { inviteCode: form.elements.inviteCode.value.trim() || null, confirmMove }, { idempotencyKey: key });
    key = newKey();
    await done();
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clear(confirmBox);
    busy(form, async () => {
      try {
        await join(false);
      } catch (error) {
        if (error.code !== 'squad.move-needs-confirmation') { showApiError(form, error); return; }
        const yes = h('button', { type: 'button' }, 'Yes, move me');
        yes.addEventListener('click', () => busy(form, async () => {
          try { await join(true); } catch (again) { showApiError(form, again); }
        }));
        confirmBox.append(h('div', { class: 'paused-note', role: 'alertdialog', 'aria-label': 'Confirm the move' },
          h('p', {}, error.message ?? 'Joining another squad moves you out of this one.'),
          h('div', { class: 'row' }, yes, h('button', { type: 'button', class: 'secondary', onclick: () => clear(confirmBox) }, 'Stay where I am'))));
      }
    });
  });
  const leave = inSquad ? h('button', { type: 'button', class: 'secondary' }, 'Leave this squad') : null;
  leave?.addEventListener('click', () => {
    if (leave.dataset.confirm !== 'yes') {
      leave.dataset.confirm = 'yes';
      leave.textContent = 'Leave: your coach will no longer see your runs and reports';
      return;
    }
    busy(form, async () => {
      try { await post(`/api/squads/${athlete.squadId}/leave`, {}); await done(); } catch (error) { showApiError(form, error); }
    });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'squad-title', dataset: { squad: athlete.squadId ?? 'none' } },
    h('h2', { id: 'squad-title' }, inSquad ? `Your squad: ${athlete.squadName ?? ''}` : 'Join your coach’s squad'),
    h('p', { class: 'small muted' }, inSquad
      ? 'You train in one squad at a time. Its coaches see your runs and reports and hear at once if something needs care.'
      : 'Enter the invite code your coach gave you.'),
    form, confirmBox, leave);
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
  const fitness = fitnessPanel(id);
  fitness.refresh();
  main.append(
    h('div', { class: 'grid grid-2' }, weeklyDistanceChart(dashboard.weeks, units, charts), painChart(dashboard.pain, charts)),
    fitness.element,
    h('section', { class: 'card', 'aria-labelledby': 'runs-title' },
      h('div', { class: 'page-head' }, h('h2', { id: 'runs-title' }, 'Runs and reports'),
        h('a', { class: 'button secondary', href: `/api/athletes/${id}/history.csv`, download: '' }, 'Download as CSV')),
      historyList(id, units)));
  return () => { charts.forEach((c) => c.destroy()); fitness.destroy(); };
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
        await post(`/api/athletes/${id}/shoes`, { name: form.elements.name.value, startingDistanceMeters: start === '' ? null : toMeters(Number(start), units) }, { idempotencyKey: formKey(form) });
        keySucceeded(form);
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
