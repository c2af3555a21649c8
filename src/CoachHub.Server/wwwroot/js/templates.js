// Week templates: a coach saves a planned week under a name for the squad, and plans any athlete's unplanned
// week of the squad from it (the same days and sessions, new ids). Kept and deleted on the squad page.
import { get, post, del, newKey } from './api.js';
import { h, clear, input, select, formError, showApiError, busy, failure, distance, confirmButton, dateTime, plural } from './ui.js';

export const loadTemplates = (squadId) => (squadId ? get(`/api/squads/${squadId}/templates`) : Promise.resolve([]));

const describe = (t, units) => `${plural(t.sessions.length, 'session')}, ${distance(t.runningMeters, units)} running`;

/** "Save as template" for a planned week: a name, then the squad keeps it. */
export function saveTemplateTool({ squadId, athleteId, weekStart, weekLabel, onSaved, onCancel }) {
  const slot = h('div', { class: 'template-tool' });
  const open = h('button', { type: 'button', class: 'secondary', onclick: () => show() }, 'Save as template');
  slot.append(open);
  function show() {
    const form = h('form', { novalidate: true, class: 'template-form template-save' },
      input('name', `Template name for the week of ${weekLabel}`, { maxlength: 80, required: true, placeholder: 'e.g. Base week, 3 runs' }),
      formError(),
      h('div', { class: 'row' },
        h('button', { type: 'submit' }, 'Save template'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { clear(slot).append(open); onCancel?.(); } }, 'Cancel')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(form, async () => {
        try {
          const saved = await post(`/api/squads/${squadId}/templates`, { name: form.elements.name.value.trim(), athleteId, weekStart },
            { idempotencyKey: newKey() });
          clear(slot).append(open);
          onSaved?.(saved);
        } catch (error) {
          showApiError(form, error);
        }
      });
    });
    clear(slot).append(form);
    form.elements.name.focus();
  }
  return slot;
}

/** "Plan this week from a template" for a week with no plan yet. */
export function applyTemplateTool({ templates, athleteId, weekStart, weekLabel, units, onApplied }) {
  // data-keep: a live refresh keeps the template chosen.
  const form = h('form', { novalidate: true, class: 'template-form', dataset: { applyTemplate: weekStart, keep: `apply-${weekStart}` } },
    select('templateId', `Plan the week of ${weekLabel} from a template`, templates.map((t) => [t.templateId, `${t.name} (${describe(t, units)})`])),
    formError(),
    h('button', { type: 'submit', class: 'secondary' }, 'Plan from template'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      try {
        await post(`/api/athletes/${athleteId}/plan/weeks/${weekStart}/template`, { templateId: form.elements.templateId.value }, { idempotencyKey: newKey() });
        onApplied?.();
      } catch (error) {
        showApiError(form, error, {
          describe: (field, message) => (field === 'weekStart' ? 'This week is planned already: edit its sessions instead.' : message),
        });
      }
    });
  });
  return form;
}

/** The squad page's list: each template with what it holds, and a delete asked twice. */
export function templatesCard(squadId, units) {
  const list = h('div', { 'aria-live': 'polite' });
  const card = h('section', { class: 'card', 'aria-labelledby': 'templates-title' },
    h('h2', { id: 'templates-title' }, 'Week templates'),
    h('p', { class: 'small muted' }, 'Save a planned week as a template from an athlete\'s plan page ("Save as template"), then plan any athlete\'s unplanned week of this squad from it. Deleting one leaves weeks planned from it as they are.'),
    list);
  async function load() {
    let templates;
    try {
      templates = await loadTemplates(squadId);
    } catch (error) {
      clear(list).append(failure(error, load));
      return;
    }
    const status = h('p', { class: 'small', role: 'status' });
    clear(list).append(templates.length === 0
      ? h('p', { class: 'muted small' }, 'No templates yet.')
      : h('ul', { class: 'plain' }, templates.map((t) => h('li', { dataset: { template: t.templateId } },
        h('strong', {}, t.name), ' ',
        h('span', { class: 'small muted' }, `${describe(t, units)} · saved by ${t.savedBy}, ${dateTime(t.savedAt)}`), ' ',
        confirmButton(`Delete template ${t.name}`, `Delete "${t.name}" for good`, async () => {
          await del(`/api/squads/${squadId}/templates/${t.templateId}`, { idempotencyKey: newKey() });
          await load();
        }, (error) => { status.textContent = `The template could not be deleted: ${error?.summary ?? error}`; })))),
    status);
  }
  load();
  return card;
}
