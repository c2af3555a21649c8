// The days an athlete can train and the most time each allows: the athlete keeps it, their coach can too. The weekly
// adjustment lays out the weeks it writes within it; a coach planning by hand sees it here and decides.
import { get, put } from './api.js';
import { h, clear, formError, showApiError, showErrors, busy, loading, failure } from './ui.js';

const DAYS = [['monday', 'Monday'], ['tuesday', 'Tuesday'], ['wednesday', 'Wednesday'], ['thursday', 'Thursday'],
  ['friday', 'Friday'], ['saturday', 'Saturday'], ['sunday', 'Sunday']];

/** own: the athlete's own page ("you"); else the coach's page of the athlete called name. */
export function availabilityPanel(athleteId, { own, name }) {
  const body = h('div', {}, loading());
  // Outside the form, which is drawn anew after a save: a live region already on the page is announced when it changes.
  const status = h('p', { class: 'small', role: 'status' });
  const element = h('section', { class: 'card', 'aria-labelledby': 'availability-title' },
    h('h2', { id: 'availability-title' }, own ? 'When you can train' : `When ${name} can train`), body, status);

  async function refresh(done = '') {
    let availability;
    try {
      availability = await get(`/api/athletes/${athleteId}/availability`);
    } catch (error) {
      clear(body).append(failure(error, () => refresh()));
      return;
    }
    const f = form(availability);
    clear(body).append(f);
    status.textContent = done;
    if (done) f.querySelector('button[type=submit]').focus();
  }

  function form(availability) {
    const byDay = new Map(availability.days.map((d) => [d.day, d]));
    const rows = DAYS.map(([day, text]) => {
      const chosen = byDay.get(day);
      const minutes = h('input', {
        type: 'number', name: `${day}-minutes`, min: 10, max: 600, step: 5, inputmode: 'numeric', placeholder: 'no limit',
        value: chosen?.maxMinutes ?? '', 'aria-label': `Most minutes on ${text}`, disabled: !chosen,
      });
      // A day not ticked has no time to limit: its box is hidden until it is.
      const limit = h('label', { class: 'availability-minutes', hidden: !chosen }, minutes, h('span', { class: 'small muted' }, 'min'));
      const box = h('input', {
        type: 'checkbox', name: day, id: `avail-${day}`, checked: !!chosen,
        onchange: () => { minutes.disabled = !box.checked; limit.hidden = !box.checked; },
      });
      return h('div', { class: 'field availability-day', dataset: { day, name: text } },
        h('div', { class: 'check' }, box, h('label', { for: `avail-${day}` }, text)),
        limit,
        h('p', { class: 'error' }));
    });
    const f = h('form', {
      class: 'availability', novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        status.textContent = '';
        const days = [];
        const unreadable = {};
        for (const row of rows) {
          row.dataset.field = '';
          const [box, minutes] = row.querySelectorAll('input');
          if (!box.checked) continue;
          // A number box holding letters reads as empty: that is not "no limit".
          if (minutes.validity.badInput) unreadable[`days[${days.length}].maxMinutes`] = `Write the minutes for ${row.dataset.name} as a number, or leave it empty for no limit.`;
          // The API names a bad entry by its place in what was sent: days[2].maxMinutes.
          row.dataset.field = `days[${days.length}].maxMinutes`;
          days.push(minutes.value.trim() === '' ? { day: row.dataset.day } : { day: row.dataset.day, maxMinutes: Number(minutes.value) });
        }
        if (!days.length) {
          showErrors(f, {}, { summary: own ? 'Choose at least one day you can train.' : 'Choose at least one day.' });
          return;
        }
        if (Object.keys(unreadable).length) {
          showErrors(f, unreadable);
          return;
        }
        await busy(f, async () => {
          try {
            await put(`/api/athletes/${athleteId}/availability`, { days });
            await refresh(own
              ? 'Saved. Weeks planned for you from now on keep to these days.'
              : `Saved. Weeks the weekly adjustment writes for ${name} keep to these days.`);
          } catch (error) {
            showApiError(f, error);
          }
        });
      },
    },
    h('p', { class: 'muted small' }, own
      ? 'Tick the days you can run or train, and the most minutes each allows if there is a limit. The weekly plan changes keep to them: sessions move to a day you have, and a run too long for its day is shortened.'
      : `The days ${name} can train. The weekly adjustment keeps to them; when you plan a week yourself, you decide.`),
    h('fieldset', { class: 'availability-days' }, h('legend', { class: 'visually-hidden' }, 'Days'), rows),
    formError(),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save the days')));
    return f;
  }

  return { element, refresh };
}
