// The coach's squad board: a traffic light per athlete, most urgent first, updated live.
import { get, post, formKey, keySucceeded } from '../api.js';
import {
  h, clear, input, select, formError, showApiError, busy, light, severityBadge, ruleChip, distance, ago, dateTime, day,
  empty, loading, failure, debounce,
} from '../ui.js';
import { onLive } from '../live.js';
import { loadSquads, pickSquad, rememberSquad } from '../squads.js';

const COMPLIANCE = { green: 'On plan', amber: 'A little off plan', red: 'Far off plan' };

export async function boardPage(main, { query, app }) {
  app.setTitle('Squad board');
  main.append(loading());
  let squads;
  try {
    squads = await loadSquads();
  } catch (error) {
    clear(main).append(h('h1', {}, 'Squad board'), failure(error, () => app.navigate('board')));
    return undefined;
  }
  clear(main);
  if (squads.length === 0) {
    main.append(h('h1', {}, 'Squad board'), empty('You have no squad yet. Create one, then invite your athletes.', createSquadForm(app)));
    return undefined;
  }

  const squad = pickSquad(squads, query.get('squad'));
  const units = squad.settings.units;
  const head = h('div', { class: 'page-head' }, h('h1', {}, `${squad.name}: squad board`));
  if (squads.length > 1) {
    const chooser = select('squad', 'Squad', squads.map((s) => [s.squadId, s.name]), { value: squad.squadId });
    chooser.querySelector('select').addEventListener('change', (e) => { rememberSquad(e.target.value); app.navigate(`board?squad=${e.target.value}`); });
    head.append(chooser);
  }
  const summary = h('p', { class: 'muted', role: 'status' });
  const notice = h('div', { 'aria-live': 'polite' });
  const body = h('div', {}, loading());
  main.append(head, summary, notice, body);

  let changed = new Set();
  let closed = false;
  async function refresh() {
    if (closed) return;
    try {
      const board = await get(`/api/squads/${squad.squadId}/board`);
      if (closed) return; // closed while this read was on its way: the notice stands
      for (const row of board.athletes) app.names.set(row.athleteId, row.name);
      renderBoard(board);
    } catch (error) {
      if (!closed) clear(body).append(failure(error, refresh));
    }
  }

  function renderBoard(board) {
    const counts = { red: 0, amber: 0, green: 0 };
    board.athletes.forEach((a) => { counts[a.status] += 1; });
    summary.textContent = board.athletes.length
      ? `Week of ${day(board.weekStart)}: ${counts.red} red, ${counts.amber} amber, ${counts.green} green. Most urgent first.`
      : '';
    if (board.athletes.length === 0) {
      clear(body).append(empty('No athletes in this squad yet.', h('a', { class: 'button', href: '#/squad' }, 'Invite athletes')));
      return;
    }
    const table = h('table', { class: 'stacked board', 'aria-describedby': 'board-caption' },
      h('caption', { id: 'board-caption', class: 'visually-hidden' }, `Athletes of ${board.name}, most urgent first`),
      h('thead', {}, h('tr', {}, ['Status', 'Athlete', 'Worst open finding', 'Last report', 'This week', 'Compliance so far', 'Plan'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, board.athletes.map((a) => h('tr', {
        dataset: { athlete: a.athleteId, status: a.status }, class: changed.has(a.athleteId) ? 'flash' : null,
      },
      h('td', { 'data-label': 'Status' }, light(a.status)),
      h('td', { 'data-label': 'Athlete', class: 'cell-main' }, h('a', { href: `#/athletes/${a.athleteId}` }, a.name),
        a.unreadComments ? [' ', h('span', { class: 'badge unread', title: 'Messages you have not read' }, `${a.unreadComments} new ${a.unreadComments === 1 ? 'message' : 'messages'}`)] : null),
      h('td', { 'data-label': 'Worst finding' }, a.worstSeverity
        ? h('div', {}, h('div', { class: 'row' }, severityBadge(a.worstSeverity), a.worstRule ? ruleChip(a.worstRule) : null), h('span', { class: 'small' }, a.worstFinding))
        : h('span', { class: 'muted' }, 'None open')),
      h('td', { 'data-label': 'Last report' }, a.lastReportAt
        ? h('span', { title: dateTime(a.lastReportAt) }, `${ago(a.lastReportAt)}`, a.lastPain !== undefined && a.lastPain !== null ? `, pain ${a.lastPain}/10` : '')
        : h('span', { class: 'muted' }, 'No report yet')),
      h('td', { 'data-label': 'This week' }, weekText(a, units)),
      h('td', { 'data-label': 'Compliance' }, a.compliance
        ? h('span', { class: `comp-${a.compliance}` }, COMPLIANCE[a.compliance])
        : h('span', { class: 'muted' }, '—')),
      h('td', { 'data-label': 'Plan' }, a.adjustmentWaiting
        ? h('a', { href: `#/athletes/${a.athleteId}/plan` }, h('span', { class: 'badge sev-warning' }, 'Change to approve'))
        : h('a', { href: `#/athletes/${a.athleteId}/plan` }, 'Calendar'))))));
    clear(body).append(table);
    changed = new Set();
  }

  const refreshSoon = debounce(refresh, 120);
  // An athlete who moved away or was removed leaves the board at once.
  const off = onLive(['findingRaised', 'alertAcknowledged', 'runLogged', 'painReportSubmitted', 'planAdjusted', 'adjustmentProposed', 'athleteLeft', 'commentPosted', 'reconnected'], (m) => {
    if (m?.athleteId) changed.add(m.athleteId);
    refreshSoon();
  });
  // Once a week per squad: every athlete's next week is decided. One notice, not one per athlete.
  const offDone = onLive('weekAdjustmentsCompleted', (m) => {
    if (m.squadId !== squad.squadId) return;
    clear(notice).append(weekDoneNotice(m));
    refreshSoon();
  });
  // The head coach closed this squad (on another screen, or another coach did): its board is nobody's now.
  const offClosed = onLive('squadClosed', (m) => {
    if (m.squadId !== squad.squadId) return;
    closed = true;
    summary.textContent = '';
    clear(notice);
    clear(body).append(h('section', { class: 'card', role: 'alert', dataset: { closed: squad.squadId } },
      h('h2', {}, `${squad.name} was closed`),
      h('p', {}, 'Its head coach closed the squad: its athletes left it and keep their history; nobody coaches it any more.'),
      h('button', { type: 'button', onclick: () => app.navigate('board') }, squads.length > 1 ? 'Go to your other squads' : 'Back to the board')));
  });
  const ticker = setInterval(refresh, 5 * 60 * 1000); // "3 min ago" stays true
  await refresh();
  return () => { off(); offDone(); offClosed(); clearInterval(ticker); };
}

const DONE_PARTS = [
  ['progressed', 'progress'], ['held', 'hold'], ['deloaded', 'a lighter week'], ['paused', 'paused'],
  ['returningToRun', 'return to running'], ['unchanged', 'unchanged'],
];

function weekDoneNotice(m) {
  const parts = DONE_PARTS.filter(([key]) => m[key] > 0).map(([key, words]) => `${m[key]} ${words}`);
  const athletes = m.athletes === 1 ? '1 athlete' : `all ${m.athletes} athletes`;
  const dismiss = h('button', { type: 'button', class: 'secondary' }, 'Dismiss');
  const card = h('section', { class: 'card', role: 'status', dataset: { weekDone: m.weekStart } },
    h('strong', {}, `Next week is ready for ${athletes} (week of ${day(m.weekStart)})`),
    parts.length ? h('p', {}, `${parts.join(', ')}.`) : '',
    m.waitingForApproval > 0
      ? h('p', {}, `${m.waitingForApproval} ${m.waitingForApproval === 1 ? 'change waits' : 'changes wait'} for your approval: marked "Change to approve" below.`)
      : '',
    dismiss);
  dismiss.addEventListener('click', () => card.remove());
  return card;
}

export function createSquadForm(app, { after } = {}) {
  const form = h('form', { novalidate: true, class: 'stack', style: 'text-align:left' },
    formError(),
    input('name', 'Squad name', { placeholder: 'e.g. Tuesday Trail Group' }),
    h('button', { type: 'submit' }, 'Create squad'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        const squad = await post('/api/squads', { name: form.elements.name.value }, { idempotencyKey: formKey(form) });
        keySucceeded(form);
        rememberSquad(squad.squadId);
        if (after) after(squad); else app.navigate(`squad?squad=${squad.squadId}`);
      } catch (error) {
        showApiError(form, error);
      }
    });
  });
  return form;
}

/** Done against what was due by now, as compliance is judged; the week's whole plan beside it while some is still to come. */
function weekText(a, units) {
  if (!a.plannedMeters) return a.doneMeters ? `${distance(a.doneMeters, units)} (nothing planned)` : h('span', { class: 'muted' }, 'Nothing planned');
  const due = a.dueMeters ?? 0;
  if (due >= a.plannedMeters) return `${distance(a.doneMeters, units)} of ${distance(a.plannedMeters, units)}`;
  if (due === 0) return h('span', {}, `${distance(a.doneMeters, units)} done`, h('span', { class: 'small muted' }, ` · ${distance(a.plannedMeters, units)} planned, none due yet`));
  return h('span', {}, `${distance(a.doneMeters, units)} of ${distance(due, units)} due so far`,
    h('span', { class: 'small muted' }, ` · ${distance(a.plannedMeters, units)} this week`));
}
