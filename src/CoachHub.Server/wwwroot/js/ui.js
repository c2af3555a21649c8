// Small DOM helpers shared by the pages: an element builder, labelled form fields with their error slots,
// showing a problem's field errors, formatting, and the pieces every page repeats.

let nextId = 0;
const uid = (prefix) => `${prefix}-${++nextId}`;

/** h('p', {class: 'x', onclick: f}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') { for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = v; }
    else if (key === 'value' && 'value' in el) el.value = value;
    else if (key === 'checked' || key === 'selected' || key === 'disabled' || key === 'open') el[key] = true;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// ----- form fields: a wrapper carrying data-field (the API's field name), a label, the control, an error slot -----

function wrap(name, labelText, control, hint, { short } = {}) {
  const errorId = uid('err');
  const hintId = hint ? uid('hint') : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field', dataset: { field: name, name: short ?? labelText } },
    h('label', { for: control.id }, labelText),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'error', id: errorId }));
}

/** A labelled input. opts: type, value, hint, autocomplete, inputmode, min, max, step, placeholder, required, short. */
export function input(name, labelText, opts = {}) {
  const control = h('input', {
    id: uid('f'), name, type: opts.type ?? 'text', value: opts.value, autocomplete: opts.autocomplete ?? 'off',
    inputmode: opts.inputmode, min: opts.min, max: opts.max, step: opts.step, placeholder: opts.placeholder,
    list: opts.list, maxlength: opts.maxlength, 'aria-required': opts.required ? 'true' : null,
  });
  return wrap(name, labelText, control, opts.hint, opts);
}

export function textarea(name, labelText, opts = {}) {
  const control = h('textarea', { id: uid('f'), name, maxlength: opts.maxlength, rows: opts.rows ?? 3 });
  if (opts.value) control.value = opts.value;
  return wrap(name, labelText, control, opts.hint, opts);
}

/** options: [[value, text], ...] */
export function select(name, labelText, options, opts = {}) {
  const control = h('select', { id: uid('f'), name },
    options.map(([value, text]) => h('option', { value, selected: String(value) === String(opts.value ?? '') }, text)));
  return wrap(name, labelText, control, opts.hint, opts);
}

export function checkbox(name, labelText, opts = {}) {
  const id = uid('f');
  const errorId = uid('err');
  return h('div', { class: 'field', dataset: { field: name, name: labelText } },
    h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, name, checked: !!opts.checked, 'aria-describedby': errorId }),
      h('label', { for: id }, labelText)),
    opts.hint ? h('p', { class: 'hint' }, opts.hint) : null,
    h('p', { class: 'error', id: errorId }));
}

/** A group of radio buttons as one field: a fieldset whose legend is the question. options: [[value, text], ...] */
export function radios(name, legendText, options, opts = {}) {
  const errorId = uid('err');
  const hintId = opts.hint ? uid('hint') : null;
  const set = h('fieldset', {
    class: `field ${opts.class ?? ''}`, dataset: { field: name, name: opts.short ?? legendText },
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
  },
  h('legend', {}, legendText),
  opts.hint ? h('p', { class: 'hint', id: hintId }, opts.hint) : null,
  h('div', { class: `choices ${opts.choicesClass ?? ''}` },
    options.map(([value, text, aria]) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name, value, checked: opts.value !== undefined && String(opts.value) === String(value), 'aria-label': aria }),
      h('span', { 'aria-hidden': aria ? 'true' : null }, text)))),
  opts.ends ? h('div', { class: 'scale-ends', 'aria-hidden': 'true' }, h('span', {}, opts.ends[0]), h('span', {}, opts.ends[1])) : null,
  h('p', { class: 'error', id: errorId }));
  return set;
}

/** 0-10 (or from-to) as a row of radio buttons. */
export function scale(name, legendText, opts = {}) {
  const from = opts.from ?? 0;
  const to = opts.to ?? 10;
  const options = [];
  for (let i = from; i <= to; i++) options.push([String(i), String(i), `${i}${opts.unit ?? ''}`]);
  return radios(name, legendText, options, { ...opts, choicesClass: `scale ${opts.scaleClass ?? ''}` });
}

export function formValue(form, name) {
  const el = form.elements.namedItem(name);
  if (!el) return undefined;
  if (el instanceof RadioNodeList) return el.value === '' ? undefined : el.value;
  if (el.type === 'checkbox') return el.checked;
  return el.value.trim() === '' ? undefined : el.value.trim();
}

/** The error area for problems that name no field of the form. */
export function formError() {
  return h('div', { class: 'form-error', role: 'alert' });
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll('.error')) slot.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-error');
  if (summary) summary.textContent = '';
}

/** Puts each field error next to its field; the rest in the form's summary; focuses the first bad field. */
export function showErrors(form, errors, { summary, describe } = {}) {
  clearErrors(form);
  let first = null;
  const left = [];
  for (const [field, messages] of Object.entries(errors ?? {})) {
    const wrapper = findField(form, field);
    const text = (Array.isArray(messages) ? messages : [messages]).map((m) => sentence(field, m, wrapper, describe)).join(' ');
    if (!wrapper) { left.push(text); continue; }
    wrapper.querySelector('.error').textContent = text;
    const controls = wrapper.matches('fieldset') ? [wrapper] : [...wrapper.querySelectorAll('input, select, textarea')];
    for (const c of controls) c.setAttribute('aria-invalid', 'true');
    first ??= wrapper.querySelector('input, select, textarea');
  }
  const box = form.querySelector('.form-error');
  const general = [summary, ...left].filter(Boolean).join(' ');
  if (box) box.textContent = general || (first ? 'Please check the highlighted answers.' : '');
  if (first) first.focus();
  else box?.focus?.();
  return !first && !general;
}

/** An ApiError on a form: field errors by field, everything else as one sentence. */
export function showApiError(form, error, options = {}) {
  if (error?.status === 400 && Object.keys(error.errors).length) return showErrors(form, error.errors, options);
  return showErrors(form, {}, { ...options, summary: error?.summary ?? String(error) });
}

function findField(form, field) {
  const candidates = [field, field.replace(/^(session|body)\./, ''), field.replace(/^sessions\[\d+\]\./, ''), field.split('.').pop()];
  for (const name of candidates) {
    const el = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (el) return el;
  }
  return null;
}

/** The API words its messages to follow the field's name ("is required.", "must be between 1 and 10"). */
function sentence(field, message, wrapper, describe) {
  const text = describe?.(field, message) ?? message;
  if (/^(is|must|has|and|a |should|was|are)\b/i.test(text)) {
    const name = wrapper?.dataset.name ?? field.split('.').pop();
    return `${name} ${text}`;
  }
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ----- formatting -----

const METRES_PER = { kilometres: 1000, miles: 1609.344 };
export const unitLabel = (units) => (units === 'miles' ? 'mi' : 'km');
export const unitName = (units) => (units === 'miles' ? 'miles' : 'kilometres');
export const toUnits = (meters, units) => meters / (METRES_PER[units] ?? 1000);
export const toMeters = (amount, units) => Math.round(amount * (METRES_PER[units] ?? 1000));

export function distance(meters, units, digits = 1) {
  if (meters === null || meters === undefined) return '—';
  return `${toUnits(meters, units).toFixed(digits)} ${unitLabel(units)}`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return h ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** "2026-11-16" as a local date, not UTC midnight. */
export function parseDate(text) {
  const [y, m, d] = text.split('-').map(Number);
  return new Date(y, m - 1, d);
}

export function isoDate(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export function mondayOf(date) {
  const d = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d;
}

export const addDays = (date, days) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);

export function day(text) {
  return parseDate(text).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
}

export function shortDate(textOrDate) {
  const d = typeof textOrDate === 'string' && textOrDate.length === 10 ? parseDate(textOrDate) : new Date(textOrDate);
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

export function dateTime(value) {
  if (!value) return '—';
  return new Date(value).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function ago(value) {
  if (!value) return 'never';
  const seconds = (Date.now() - new Date(value).getTime()) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** Enum values may arrive camelCase (API) or PascalCase (history details). */
/** "1 report", "3 reports". */
export const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
export const camel = (text) => (typeof text === 'string' && text ? text[0].toLowerCase() + text.slice(1) : text);

export const SEVERITY = { info: 'Info', watch: 'Watch', warning: 'Warning', urgent: 'Urgent', emergency: 'Emergency' };
export const SEVERITY_RANK = { info: 0, watch: 1, warning: 2, urgent: 3, emergency: 4 };
export const WORKOUTS = [['easy', 'Easy'], ['longRun', 'Long run'], ['tempo', 'Tempo'], ['intervals', 'Intervals'], ['hills', 'Hills'], ['race', 'Race'], ['walkRun', 'Walk-run']];
export const SURFACES = [['road', 'Road'], ['trail', 'Trail'], ['track', 'Track'], ['treadmill', 'Treadmill'], ['grass', 'Grass']];
export const SESSION_TYPES = [...WORKOUTS, ['strength', 'Strength'], ['mobility', 'Mobility'], ['crossTraining', 'Cross-training'], ['rest', 'Rest']];
export const INTENSITIES = [['rest', 'Rest'], ['easy', 'Easy'], ['moderate', 'Moderate'], ['hard', 'Hard']];
export const OUTCOMES = { pause: 'Pause running', returnToRun: 'Return to running', deload: 'Deload: a lighter week', hold: 'Hold: same as last week', progress: 'Progress: a little more' };
export const RUN_TYPES = new Set(WORKOUTS.map(([v]) => v));
export const label = (pairs, value) => (pairs.find(([v]) => v === camel(value)) ?? [value, value ?? '—'])[1];

// ----- pieces -----

/** The API's disclaimer (src/CoachHub.Domain/Disclaimer.cs), for answers that do not carry it; a test keeps them equal. */
export const DISCLAIMER = 'CoachHub gives training guidance only; it is not medical advice and cannot diagnose anything. In an emergency, call your local emergency number.';

export function severityBadge(severity) {
  const s = camel(severity);
  return h('span', { class: `badge sev-${s}` }, SEVERITY[s] ?? s);
}

export function light(status) {
  const text = { red: 'Red', amber: 'Amber', green: 'Green' }[status] ?? status;
  return h('span', { class: `light light-${status}` }, text);
}

export function ruleChip(ruleId) {
  return h('span', { class: 'rule', title: 'Rule id' }, ruleId);
}

export function disclaimer(text) {
  return h('p', { class: 'disclaimer' }, text || DISCLAIMER);
}

/** A finding's advice: what was noticed, what to do, and the disclaimer under it. */
export function advice({ severity, message, action, actionLabel = 'What to do', ruleId, raisedAt, disclaimerText, extra }) {
  const s = camel(severity);
  return h('div', { class: `advice sev-box-${s}`, dataset: { severity: s } },
    h('div', { class: 'row' }, severityBadge(s), ruleId ? ruleChip(ruleId) : null, raisedAt ? h('span', { class: 'muted small' }, dateTime(raisedAt)) : null),
    h('p', {}, message),
    action ? h('p', { class: 'action' }, `${actionLabel}: ${action}`) : null,
    extra,
    disclaimer(disclaimerText));
}

export function empty(text, ...more) {
  return h('div', { class: 'empty' }, h('p', {}, text), ...more);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

export function failure(error, retry) {
  return h('div', { class: 'form-error', role: 'alert' },
    h('p', {}, error?.summary ?? String(error)),
    retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Try again') : null);
}

export function copyButton(getText, labelText) {
  const status = h('span', { class: 'small muted', role: 'status' });
  const button = h('button', {
    type: 'button', class: 'secondary',
    onclick: async () => {
      const text = getText();
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = 'Copied.';
      } catch {
        status.textContent = 'Select the text and copy it.';
      }
      setTimeout(() => { status.textContent = ''; }, 3000);
    },
  }, labelText);
  return h('span', { class: 'row' }, button, status);
}

/**
 * A button that asks again before it acts: the first click shows <confirmText> (which says what will happen), the
 * second runs work(). A failure is told to onError and the button works again.
 */
export function confirmButton(text, confirmText, work, onError) {
  const button = h('button', { type: 'button', class: 'secondary' }, text);
  button.addEventListener('click', async () => {
    if (button.dataset.confirm !== 'yes') { button.dataset.confirm = 'yes'; button.textContent = confirmText; return; }
    button.disabled = true;
    try {
      await work();
    } catch (error) {
      onError(error);
      button.disabled = false;
    }
  });
  return button;
}

/** Disables a form's buttons while a call runs. */
export async function busy(form, work) {
  const buttons = [...form.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  try { return await work(); } finally { buttons.forEach((b) => { b.disabled = false; }); }
}

/**
 * Re-renders without losing what someone is typing: text typed into controls inside an element with
 * data-keep="key" is put back into the control of the same key and name afterwards, and so is the focus.
 */
export function keepTyping(container, render) {
  const saved = new Map();
  let focused = null;
  for (const el of container.querySelectorAll('[data-keep] input, [data-keep] textarea, [data-keep] select')) {
    const key = `${el.closest('[data-keep]').dataset.keep}|${el.name}`;
    if (el.type !== 'checkbox' && el.type !== 'radio' && el.value !== el.defaultValue) saved.set(key, el.value);
    if (el === document.activeElement) focused = key;
  }
  render();
  for (const el of container.querySelectorAll('[data-keep] input, [data-keep] textarea, [data-keep] select')) {
    const key = `${el.closest('[data-keep]').dataset.keep}|${el.name}`;
    if (saved.has(key)) el.value = saved.get(key);
    if (key === focused) el.focus({ preventScroll: true });
  }
}

export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}
