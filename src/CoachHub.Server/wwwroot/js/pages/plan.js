// The coach's plan calendar for one athlete: weeks of sessions to view and edit, and automated changes to
// approve or reject, with the rule ids and reasons behind them.
import { get, post, put, del, newKey, ApiError } from '../api.js';
import {
  h, clear, input, select, textarea, formError, showApiError, busy, loading, failure, debounce, day, isoDate, parseDate,
  keepTyping, mondayOf, addDays, toMeters, toUnits, unitLabel, distance, SESSION_TYPES, INTENSITIES, RUN_TYPES, camel, ruleChip, confirmButton,
} from '../ui.js';
import { onLive } from '../live.js';
import { sessionList, adjustmentSummary, activeRunMeters, pausedNote } from '../sessions.js';
import { unitsForAthlete } from '../squads.js';
import { availabilityPanel } from '../availability.js';
import { loadTemplates, saveTemplateTool, applyTemplateTool } from '../templates.js';

const WEEKS = 4;
// Forms a live refresh waits for: a session being edited, a template being named.
const BUSY_FORMS = 'form.editor, form.template-save';

export async function planPage(main, { params, query, app }) {
  const id = params.id;
  const today = new Date();
  const todayIso = isoDate(today);
  const from = query.get('from') ? mondayOf(parseDate(query.get('from'))) : addDays(mondayOf(today), -7);
  main.append(loading());

  let profile;
  try {
    profile = (await get(`/api/athletes/${id}/dashboard`)).athlete;
  } catch (error) {
    clear(main).append(h('h1', {}, 'Plan calendar'), failure(error, () => app.navigate(`athletes/${id}/plan`)));
    return undefined;
  }
  const units = await unitsForAthlete(profile.squadId, camel(profile.units));
  app.setTitle(`${profile.name}: plan`);
  const go = (monday) => app.navigate(`athletes/${id}/plan?from=${isoDate(monday)}`);
  const body = h('div', {}, loading());
  const notice = h('p', { class: 'small', role: 'status', dataset: { notice: 'plan' } });
  clear(main).append(
    h('div', { class: 'page-head' },
      h('h1', {}, `${profile.name}: plan calendar`),
      h('a', { class: 'button secondary', href: `#/athletes/${id}` }, 'Athlete page')),
    h('nav', { class: 'row', 'aria-label': 'Weeks shown', style: 'margin-bottom:12px' },
      h('button', { type: 'button', class: 'secondary', onclick: () => go(addDays(from, -7 * WEEKS)) }, '← Earlier weeks'),
      h('button', { type: 'button', class: 'secondary', onclick: () => go(addDays(mondayOf(today), -7)) }, 'Around today'),
      h('button', { type: 'button', class: 'secondary', onclick: () => go(addDays(from, 7 * WEEKS)) }, 'Later weeks →')),
    notice, body);
  const availability = availabilityPanel(id, { own: false, name: profile.name });
  main.append(availability.element);
  availability.refresh();

  let stale = false;
  let templates = [];
  /** live: a change from elsewhere, which waits while the coach has a session open in the editor. */
  async function refresh({ live = false } = {}) {
    if (live && body.querySelector(BUSY_FORMS)) { stale = true; return; }
    try {
      const calendar = await get(`/api/athletes/${id}/plan?from=${isoDate(from)}&weeks=${WEEKS}`);
      // Without the squad's templates the page still plans: the tools just are not offered.
      templates = await loadTemplates(profile.squadId).catch(() => []);
      if (live && body.querySelector(BUSY_FORMS)) { stale = true; return; }
      stale = false;
      keepTyping(body, () => render(calendar));
    } catch (error) {
      clear(body).append(failure(error, refresh));
    }
  }

  function render(calendar) {
    clear(body);
    if (!calendar.started) {
      body.append(h('section', { class: 'card' }, h('h2', {}, 'No plan yet'),
        h('p', { class: 'muted' }, 'Start a plan with a goal and a weekly distance, then plan its weeks here.'), startPlanForm()));
      return;
    }
    body.append(h('p', {}, h('strong', {}, 'Goal: '), calendar.goal, ` · about ${distance(calendar.weeklyDistanceMeters, units)} a week to start`));
    calendar.weeks.forEach((week, i) => body.append(weekCard(week, calendar.weeks[i + 1])));
  }

  /** "Copy to the week of ...": the week's sessions, a week later, into a week not planned yet (the API says if it is). */
  function copyButton(week, following) {
    const target = isoDate(addDays(parseDate(week.weekStart), 7));
    if (!week.sessions.length || (following && following.sessions.length) || target < isoDate(mondayOf(today))) return null;
    const status = h('p', { class: 'small', role: 'status' });
    const button = h('button', {
      type: 'button', class: 'secondary', dataset: { copyTo: target },
      onclick: async () => {
        button.disabled = true;
        const sessions = week.sessions.map((s) => {
          const date = isoDate(addDays(parseDate(s.date), 7));
          return { ...s, date, sessionId: `${date.replaceAll('-', '')}-${Math.random().toString(36).slice(2, 6)}` };
        });
        try {
          await put(`/api/athletes/${id}/plan/weeks/${target}`, { sessions });
          await refresh();
        } catch (error) {
          button.disabled = false;
          status.className = 'small form-error';
          status.textContent = error?.code === 'plan.week-already-planned'
            ? `The week of ${day(target)} is planned already: edit it instead.`
            : `The week could not be copied: ${error?.summary ?? error?.message ?? error}`;
        }
      },
    }, `Copy to the week of ${day(target)}`);
    return h('div', { class: 'row' }, button, status);
  }

  function weekCard(week, following) {
    const monday = parseDate(week.weekStart);
    const over = isoDate(addDays(monday, 7)) <= todayIso;
    const current = week.weekStart === isoDate(mondayOf(today));
    const planned = activeRunMeters(week.sessions, week.suspended);
    const card = h('section', { class: `card week${current ? ' current' : ''}`, dataset: { week: week.weekStart }, 'aria-label': `Week of ${day(week.weekStart)}` },
      h('div', { class: 'row' },
        h('h2', { style: 'margin-right:auto' }, `Week of ${day(week.weekStart)}`),
        current ? h('span', { class: 'badge' }, 'This week') : null,
        over ? h('span', { class: 'badge' }, 'Over') : null,
        h('span', { class: 'small muted' }, `${distance(planned, units)} planned`)));
    if (week.proposal) card.append(proposalBox(week));
    if (week.adjustment) card.append(inForceBox(week, over));
    const paused = over ? null : pausedNote(week.suspended);
    if (paused) card.append(paused);
    const editorSlot = h('div', {});
    card.append(sessionList(week.sessions, units, {
      // Marked only in a week the weekly adjustment wrote: in a week the coach planned, every session is the coach's.
      edited: week.adjustment || week.proposal ? week.editedSessionIds : [],
      suspended: week.suspended,
      extra: (s) => (s.date >= todayIso && !over
        ? h('button', { type: 'button', class: 'secondary', 'aria-label': `Edit ${day(s.date)} session`, onclick: () => openEditor(editorSlot, week, s) }, 'Edit')
        : null),
    }), editorSlot);
    if (!over) {
      card.append(h('button', { type: 'button', class: 'secondary', onclick: () => openEditor(editorSlot, week, null) }, 'Add a session'));
    }
    const copy = copyButton(week, following);
    if (copy) card.append(copy);
    const label = day(week.weekStart);
    if (week.sessions.length && profile.squadId) {
      const onSaved = (saved) => {
        notice.textContent = `Saved "${saved.name}" as a template: plan any unplanned week of an athlete in the squad from it.`;
        refresh();
      };
      card.append(saveTemplateTool({ squadId: profile.squadId, athleteId: id, weekStart: week.weekStart, weekLabel: label, onSaved,
        onCancel: () => { if (stale) refresh(); } }));
    } else if (!week.sessions.length && !over && templates.length) {
      card.append(applyTemplateTool({ templates, athleteId: id, weekStart: week.weekStart, weekLabel: label, units, onApplied: () => refresh() }));
    }
    return card;
  }

  function proposalBox(week) {
    const voided = week.proposalVoidedBy;
    const form = h('form', { novalidate: true, class: `proposal${voided ? ' void' : ''}`, dataset: { proposal: week.weekStart, keep: `proposal-${week.weekStart}`, void: voided ? 'true' : undefined } },
      adjustmentSummary(week.proposal, units, voided ? 'Proposed change (void)' : 'Proposed change'),
      voided
        ? h('p', { class: 'paused-note', role: 'note' }, h('strong', {}, 'Void: '), 'a red flag (', ruleChip(voided.ruleId),
          ') was raised after this was proposed, so it can no longer be approved. Reject it to clear it away; after clearance the next weekly adjustment starts the return to running.')
        : h('p', { class: 'small' }, 'Nothing changes until you approve. Rejecting keeps the week as planned.'),
      formError(),
      input('reason', 'Reason if you reject (optional)', { maxlength: 500 }),
      h('div', { class: 'row' },
        voided ? null : h('button', { type: 'submit', value: 'approve' }, 'Approve'),
        h('button', { type: 'submit', value: 'reject', class: 'secondary' }, 'Reject')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const decision = e.submitter?.value ?? 'approve';
      busy(form, async () => {
        try {
          const reason = form.elements.reason.value.trim();
          await post(`/api/athletes/${id}/plan/weeks/${week.weekStart}/${decision}`, decision === 'reject' && reason ? { reason } : {}, { idempotencyKey: newKey() });
          await refresh();
        } catch (error) {
          showApiError(form, error);
        }
      });
    });
    return form;
  }

  function inForceBox(week, over) {
    const pause = camel(week.adjustment.outcome) === 'pause';
    const box = h('div', { class: 'in-force', dataset: { adjustment: week.weekStart } }, adjustmentSummary(week.adjustment, units, 'Automatic change in force'));
    if (over) return box;
    if (pause) {
      box.append(h('p', { class: 'small' }, 'A pause ends when a healthcare professional has cleared the athlete and you record it on the athlete page.'));
      return box;
    }
    const form = h('form', { novalidate: true },
      formError(),
      input('reason', 'Reason (optional)', { maxlength: 500 }),
      h('button', { type: 'submit', class: 'secondary' }, 'Undo: restore the week as it was'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const reason = form.elements.reason.value.trim();
          await post(`/api/athletes/${id}/plan/weeks/${week.weekStart}/reject`, reason ? { reason } : {}, { idempotencyKey: newKey() });
          await refresh();
        } catch (error) {
          showApiError(form, error);
        }
      });
    });
    box.append(form);
    return box;
  }

  function openEditor(slot, week, session) {
    const monday = parseDate(week.weekStart);
    const days = [];
    for (let i = 0; i < 7; i++) {
      const d = addDays(monday, i);
      if (isoDate(d) >= todayIso) days.push([isoDate(d), day(isoDate(d))]);
    }
    const unit = unitLabel(units);
    const form = h('form', { novalidate: true, class: 'editor', 'aria-label': session ? `Edit the ${day(session.date)} session` : 'New session' },
      h('h3', {}, session ? `Edit ${day(session.date)}` : 'New session'),
      formError(),
      h('div', { class: 'inline-fields' },
        select('date', 'Day', days, { value: session?.date ?? days[0]?.[0] }),
        select('type', 'Type', SESSION_TYPES, { value: camel(session?.type) ?? 'easy' }),
        select('intensity', 'Effort', INTENSITIES, { value: camel(session?.intensity) ?? 'easy' }),
        input('distanceMeters', `Distance (${unit})`, { type: 'number', inputmode: 'decimal', step: 'any', min: 0, value: session?.distanceMeters ? toUnits(session.distanceMeters, units).toFixed(2) : '', short: 'Distance' }),
        input('durationSeconds', 'Duration (minutes)', { type: 'number', inputmode: 'numeric', step: 1, min: 0, value: session?.durationSeconds ? Math.round(session.durationSeconds / 60) : '', short: 'Duration' })),
      input('description', 'Description', { value: session?.description ?? '', maxlength: 500 }),
      textarea('notes', 'Notes for the athlete (optional)', { value: session?.notes ?? '', maxlength: 2000 }),
      h('div', { class: 'row' },
        h('button', { type: 'submit' }, 'Save session'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { clear(slot); if (stale) refresh(); } }, 'Cancel'),
        // Taking a session out is the coach's edit too: automation never puts it back.
        session ? confirmButton('Remove session', `Remove the ${day(session.date)} session from the plan`, async () => {
          await del(`/api/athletes/${id}/plan/weeks/${week.weekStart}/sessions/${encodeURIComponent(session.sessionId)}`);
          await refresh();
        }, (error) => showApiError(form, error)) : null));
    // A session's usual effort follows its type (a tempo is moderate, intervals hard) until the coach picks one.
    const EFFORT = { tempo: 'moderate', hills: 'hard', intervals: 'hard', race: 'hard', rest: 'rest' };
    let effortChosen = Boolean(session);
    form.elements.intensity.addEventListener('change', () => { effortChosen = true; });
    form.elements.type.addEventListener('change', () => {
      if (!effortChosen) form.elements.intensity.value = EFFORT[form.elements.type.value] ?? 'easy';
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = form.elements;
      const type = f.type.value;
      const km = f.distanceMeters.value.trim();
      const minutes = f.durationSeconds.value.trim();
      const date = f.date.value;
      const next = {
        sessionId: session?.sessionId ?? `${date.replaceAll('-', '')}-${Math.random().toString(36).slice(2, 6)}`,
        date,
        type,
        intensity: f.intensity.value,
        distanceMeters: km === '' ? null : toMeters(Number(km), units),
        durationSeconds: minutes === '' ? null : Math.round(Number(minutes) * 60),
        description: f.description.value.trim(),
        exercises: session?.exercises ?? [],
        walkRun: session?.walkRun ?? null,
        notes: f.notes.value.trim() || null,
      };
      if (RUN_TYPES.has(type) && next.distanceMeters === null && next.durationSeconds === null) {
        showApiError(form, new ApiError(400, { errors: { distanceMeters: ['Give a run a distance or a duration.'] } }));
        return;
      }
      busy(form, async () => {
        try {
          try {
            await put(`/api/athletes/${id}/plan/weeks/${week.weekStart}/sessions/${encodeURIComponent(next.sessionId)}`, next);
          } catch (error) {
            if (!(error instanceof ApiError) || error.code !== 'plan.week-not-planned') throw error;
            await put(`/api/athletes/${id}/plan/weeks/${week.weekStart}`, { sessions: [next] });
          }
          await refresh();
        } catch (error) {
          showApiError(form, error, { describe: (field, message) => metresToUnits(field, message, units) });
        }
      });
    });
    clear(slot).append(form);
    form.querySelector('select, input')?.focus();
  }

  function startPlanForm() {
    const nextMonday = addDays(mondayOf(today), 7);
    const unit = unitLabel(units);
    const form = h('form', { novalidate: true },
      formError(),
      input('goal', 'Goal', { placeholder: 'e.g. Autumn 10k', maxlength: 200 }),
      h('div', { class: 'inline-fields' },
        input('startDate', 'Start date', { type: 'date', value: isoDate(nextMonday) }),
        input('weeklyDistanceMeters', `Weekly distance to start (${unit})`, { type: 'number', inputmode: 'decimal', step: 'any', min: 0, short: 'Weekly distance' })),
      h('button', { type: 'submit' }, 'Start the plan'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = form.elements;
      const weekly = f.weeklyDistanceMeters.value.trim();
      busy(form, async () => {
        try {
          await post(`/api/athletes/${id}/plan`, {
            goal: f.goal.value.trim() || null,
            startDate: f.startDate.value || null,
            weeklyDistanceMeters: weekly === '' ? null : toMeters(Number(weekly), units),
          }, { idempotencyKey: newKey() });
          await refresh();
        } catch (error) {
          showApiError(form, error, { describe: (field, message) => metresToUnits(field, message, units) });
        }
      });
    });
    return form;
  }

  const refreshSoon = debounce(() => refresh({ live: true }), 200);
  // A red flag suspends running at once: the calendar shows it without a reload.
  const off = onLive(['planAdjusted', 'adjustmentProposed', 'findingRaised', 'reconnected'], (m) => { if (!m || m.athleteId === id) refreshSoon(); });
  await refresh();
  return off;
}

/** "must be between 1 and 400000" on a metres field, in the units the form asks in. */
export function metresToUnits(field, message, units) {
  if (!/meters$/i.test(field)) return message;
  return message.replace(/between (\d+) and (\d+)/, (_, a, b) => `between ${+toUnits(+a, units).toFixed(3)} and ${+toUnits(+b, units).toFixed(1)} ${unitLabel(units)}`);
}
