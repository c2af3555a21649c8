// The calendar: planned sessions and done runs on a month or a week grid, each session coloured by how it went
// (green within 20% of plan, yellow 20-50%, orange beyond, red missed, grey unplanned), for the coach and the athlete.
import { get, put } from '../api.js';
import {
  h, clear, loading, failure, distance, duration, parseDate, isoDate, mondayOf, addDays, label, camel, SESSION_TYPES, WORKOUTS,
} from '../ui.js';
import { unitsForAthlete } from '../squads.js';
import { calendarFeedPanel } from '../feed.js';
import { availabilityPanel } from '../availability.js';

const COLOURS = {
  green: 'Within 20% of plan',
  yellow: '20-50% off plan',
  orange: 'More than 50% off plan',
  red: 'Missed',
  grey: 'Run without a planned session',
};

export async function calendarPage(main, { params, query, app }) {
  const id = params.id ?? app.me.userId;
  const own = !params.id;
  main.append(loading());
  let dashboard;
  try {
    dashboard = await get(`/api/athletes/${id}/dashboard`);
  } catch (error) {
    clear(main).append(h('h1', {}, 'Calendar'), failure(error, () => app.navigate(location.hash.slice(2))));
    return;
  }
  const units = own ? camel(dashboard.athlete.units) : await unitsForAthlete(dashboard.athlete.squadId, camel(dashboard.athlete.units));
  const name = dashboard.athlete.name;
  app.setTitle(own ? 'Your calendar' : `${name}: calendar`);
  let view = query.get('view') === 'week' ? 'week' : 'month';
  let anchor = query.get('date') ? parseDate(query.get('date')) : new Date();

  const title = h('h2', { class: 'calendar-title', 'aria-live': 'polite' });
  const note = h('p', { class: 'calendar-note', role: 'status' });
  // The coach moves a session to another day of its week: dragged on the month grid, or "Move to" in the week list.
  const canMove = app.me.role === 'coach';
  let grid = null;
  let shown = 0;
  const gridBox = h('div', { class: 'calendar-box' });
  const toggle = (which, text) => h('button', {
    type: 'button', class: view === which ? '' : 'secondary', 'aria-pressed': String(view === which), dataset: { view: which },
    onclick: () => { view = which; show(); },
  }, text);
  const toolbar = h('div', { class: 'actions calendar-toolbar' },
    toggle('month', 'Month'), toggle('week', 'Week'),
    h('button', { type: 'button', class: 'secondary', onclick: () => move(-1) }, 'Previous'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { anchor = new Date(); show(); } }, 'Today'),
    h('button', { type: 'button', class: 'secondary', onclick: () => move(1) }, 'Next'));
  const legend = h('ul', { class: 'calendar-legend', 'aria-label': 'Colours' },
    Object.entries(COLOURS).map(([key, text]) => h('li', {}, h('span', { class: `swatch c-${key}`, 'aria-hidden': 'true' }), text)));

  clear(main).append(
    h('div', { class: 'page-head' },
      h('h1', {}, own ? 'Your calendar' : `${name}: calendar`),
      own ? null : h('a', { class: 'button secondary', href: `#/athletes/${id}/plan` }, 'Edit the plan'),
      own ? null : h('a', { class: 'button secondary', href: `#/athletes/${id}` }, `Back to ${name}`)),
    toolbar, title, note, gridBox, legend);
  if (own) {
    const feed = calendarFeedPanel(id);
    const availability = availabilityPanel(id, { own: true });
    main.append(availability.element, feed.element);
    availability.refresh();
    feed.refresh();
  }

  function move(step) {
    anchor = view === 'month' ? new Date(anchor.getFullYear(), anchor.getMonth() + step, 1) : addDays(anchor, 7 * step);
    show();
  }

  async function show() {
    for (const b of toolbar.querySelectorAll('[data-view]')) {
      const on = b.dataset.view === view;
      b.className = on ? '' : 'secondary';
      b.setAttribute('aria-pressed', String(on));
    }
    const first = view === 'month' ? mondayOf(new Date(anchor.getFullYear(), anchor.getMonth(), 1)) : mondayOf(anchor);
    const days = view === 'month' ? 42 : 7;
    title.textContent = view === 'month'
      ? anchor.toLocaleDateString(undefined, { month: 'long', year: 'numeric' })
      : `Week of ${first.toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}`;
    clear(gridBox).append(loading());
    const asked = ++shown;
    let answer;
    try {
      answer = await get(`/api/athletes/${id}/calendar?from=${isoDate(first)}&days=${days}`);
    } catch (error) {
      if (asked === shown) clear(gridBox).append(failure(error, show));
      return;
    }
    // A later click asked for other days meanwhile: this answer is stale.
    if (asked !== shown) return;
    grid = answer;
    const mover = canMove ? { move: moveSession, today: grid.today } : null;
    const runLink = (runId) => (own ? `#/runs/${runId}` : `#/athletes/${id}/runs/${runId}`);
    clear(gridBox).append(view === 'month' ? monthGrid(grid, anchor.getMonth(), units, mover, runLink) : weekList(grid, units, mover, runLink));
    if (!grid.days.some((d) => d.sessions.length || d.runs.length)) {
      gridBox.append(h('p', { class: 'muted' }, own
        ? 'Nothing planned or run in these days yet. Your coach plans your weeks; runs you log appear here.'
        : 'Nothing planned or run in these days yet. Plan the weeks from "Edit the plan"; runs the athlete logs appear here.'));
    }
  }

  /** Moves a planned session to another day of its week, at the plan's version this calendar showed. */
  async function moveSession(sessionId, fromDate, toDate) {
    const weekStart = isoDate(mondayOf(parseDate(fromDate)));
    note.className = 'calendar-note';
    if (toDate === fromDate) return;
    if (isoDate(mondayOf(parseDate(toDate))) !== weekStart) {
      note.textContent = 'A session moves within its own week; plan other weeks from "Edit the plan".';
      return;
    }
    if (toDate < grid.today || fromDate < grid.today) {
      note.textContent = 'Days already past stay as they were.';
      return;
    }
    try {
      const plan = await get(`/api/athletes/${id}/plan?from=${weekStart}&weeks=1`);
      const session = plan.weeks[0]?.sessions.find((s) => s.sessionId === sessionId);
      if (!session) throw new Error('That session is no longer in the plan.');
      await put(`/api/athletes/${id}/plan/weeks/${weekStart}/sessions/${encodeURIComponent(sessionId)}`, { ...session, date: toDate }, { ifMatch: grid.planVersion });
      note.className = 'calendar-note form-ok';
      note.textContent = `Moved to ${parseDate(toDate).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'short' })}.`;
    } catch (error) {
      note.className = 'calendar-note form-error';
      note.textContent = error?.status === 412
        ? 'The plan changed meanwhile (someone else edited it, or the weekly adjustment): the calendar now shows it as it is. Try again.'
        : `The session could not be moved: ${error?.summary ?? error?.message ?? error}`;
    }
    await show();
  }

  show();
}

function sessionText(s, units) {
  const type = label(SESSION_TYPES, s.type);
  const amount = s.distanceMeters ? distance(s.distanceMeters, units) : s.durationSeconds ? duration(s.durationSeconds) : '';
  return amount ? `${type} ${amount}` : type;
}

function colourWord(compliance) {
  return compliance ? COLOURS[compliance] : null;
}

function sessionChip(s, day, units, mover, runLink) {
  const run = s.runId ? day.runs.find((r) => r.runId === s.runId) : null;
  const state = s.suspended ? 'Suspended by a red flag' : colourWord(s.compliance) ?? 'Planned';
  const done = run ? `, done ${distance(run.distanceMeters, units)} in ${duration(run.durationSeconds)}` : '';
  const movable = mover && !run && day.date >= mover.today;
  const chip = h('li', {
    class: `chip c-${s.suspended ? 'suspended' : s.compliance ?? 'planned'}${movable ? ' movable' : ''}`,
    title: `${s.description || sessionText(s, units)}: ${state}${done}${movable ? '. Drag it to another day of its week' : ''}`,
    dataset: { session: s.sessionId, compliance: s.compliance ?? '' },
    draggable: movable ? 'true' : null,
  }, s.suspended ? h('s', {}, sessionText(s, units))
    // Planned against done on the grid itself, the run a click away.
    : run ? h('a', { href: runLink(run.runId) }, sessionText(s, units), h('span', { class: 'done' }, ` → ${distance(run.distanceMeters, units)}`))
      : sessionText(s, units));
  if (movable) chip.addEventListener('dragstart', (e) => { e.dataTransfer.setData('text/plain', JSON.stringify({ sessionId: s.sessionId, from: day.date })); e.dataTransfer.effectAllowed = 'move'; });
  return chip;
}

function runChip(r, units, runLink) {
  return h('li', {
    class: 'chip c-grey', title: `${label(WORKOUTS, r.workout)} run without a planned session: ${distance(r.distanceMeters, units)} in ${duration(r.durationSeconds)}`,
    dataset: { run: r.runId, compliance: 'grey' },
  }, h('a', { href: runLink(r.runId) }, `Run ${distance(r.distanceMeters, units)}`));
}

function monthGrid(grid, month, units, mover, runLink) {
  const table = h('table', { class: 'calendar-month' },
    h('thead', {}, h('tr', {}, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => h('th', { scope: 'col' }, d)))));
  const body = h('tbody');
  for (let week = 0; week < grid.days.length / 7; week++) {
    const row = h('tr');
    for (const day of grid.days.slice(week * 7, week * 7 + 7)) {
      const date = parseDate(day.date);
      const cell = h('td', {
        class: [date.getMonth() !== month ? 'other-month' : '', day.date === grid.today ? 'today' : ''].join(' ').trim(),
        dataset: { date: day.date },
        'aria-label': date.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' }),
      },
      h('span', { class: 'day-number' }, String(date.getDate())),
      h('ul', { class: 'chips' },
        day.sessions.map((s) => sessionChip(s, day, units, mover, runLink)),
        day.runs.filter((r) => !r.sessionId).map((r) => runChip(r, units, runLink))));
      if (mover) {
        cell.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; });
        cell.addEventListener('drop', (e) => {
          e.preventDefault();
          let dragged = {};
          try { dragged = JSON.parse(e.dataTransfer.getData('text/plain') || '{}'); } catch { /* a link or text dropped: not a session */ }
          if (dragged?.sessionId) mover.move(dragged.sessionId, dragged.from, day.date);
        });
      }
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  return table;
}

function weekList(grid, units, mover, runLink) {
  return h('ol', { class: 'calendar-week' }, grid.days.map((day) => {
    const date = parseDate(day.date);
    const items = [
      ...day.sessions.map((s) => {
        const run = s.runId ? day.runs.find((r) => r.runId === s.runId) : null;
        const planned = s.distanceMeters ? distance(s.distanceMeters, units) : s.durationSeconds ? duration(s.durationSeconds) : null;
        const state = s.suspended ? 'suspended by a red flag' : colourWord(s.compliance)?.toLowerCase() ?? (day.date >= grid.today ? 'to come' : '');
        const movable = mover && !run && day.date >= mover.today;
        const others = grid.days.filter((d) => d.date !== day.date && d.date >= mover?.today);
        const moveTo = movable && others.length ? h('select', {
          'aria-label': `Move ${label(SESSION_TYPES, s.type).toLowerCase()} of ${parseDate(day.date).toLocaleDateString(undefined, { weekday: 'long' })} to`,
          onchange: (e) => { if (e.target.value) mover.move(s.sessionId, day.date, e.target.value); },
        }, h('option', { value: '' }, 'Move to…'),
        others.map((d) => h('option', { value: d.date }, parseDate(d.date).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric' })))) : null;
        return h('li', { class: `entry c-${s.suspended ? 'suspended' : s.compliance ?? 'planned'}`, dataset: { session: s.sessionId, compliance: s.compliance ?? '' } },
          h('strong', {}, label(SESSION_TYPES, s.type)), ` ${s.description}`, moveTo,
          h('span', { class: 'muted small' },
            [planned ? `planned ${planned}` : null, run ? `done ${distance(run.distanceMeters, units)} in ${duration(run.durationSeconds)}` : null, state]
              .filter(Boolean).join(' · '),
            run ? h('a', { href: runLink(run.runId), class: 'run-link' }, ' · the run') : null));
      }),
      ...day.runs.filter((r) => !r.sessionId).map((r) => h('li', { class: 'entry c-grey', dataset: { run: r.runId, compliance: 'grey' } },
        h('a', { href: runLink(r.runId) }, h('strong', {}, `${label(WORKOUTS, r.workout)} run`)), ` ${distance(r.distanceMeters, units)} in ${duration(r.durationSeconds)}`,
        h('span', { class: 'muted small' }, 'no session was planned'))),
    ];
    return h('li', { class: `week-day${day.date === grid.today ? ' today' : ''}`, dataset: { date: day.date } },
      h('h3', {}, date.toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'short' })),
      items.length ? h('ul', { class: 'entries' }, items) : h('p', { class: 'muted small' }, 'Nothing planned.'));
  }));
}
