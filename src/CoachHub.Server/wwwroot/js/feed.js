// The athlete's plan in their own calendar app (Google, Apple, Outlook): a secret address the app subscribes to,
// which the athlete can replace or stop at any time.
import { get, post, del } from './api.js';
import { h, clear, copyButton, failure, loading } from './ui.js';

export function calendarFeedPanel(athleteId) {
  const body = h('div', {}, loading());
  const element = h('section', { class: 'card', 'aria-labelledby': 'feed-title' },
    h('h2', { id: 'feed-title' }, 'Your plan in your calendar app'), body);
  const status = h('p', { class: 'small', role: 'status' });

  async function act(work, done) {
    for (const b of body.querySelectorAll('button')) b.disabled = true;
    try {
      await work();
      await refresh(done);
    } catch (error) {
      clear(body).append(failure(error, () => refresh()));
    }
  }

  async function refresh(done = '') {
    let feed;
    try {
      feed = await get(`/api/athletes/${athleteId}/calendar-feed`);
    } catch (error) {
      clear(body).append(failure(error, () => refresh()));
      return;
    }
    status.textContent = done;
    if (!feed.active) {
      clear(body).append(
        h('p', { class: 'muted' }, 'Subscribe your calendar app to your plan: each session shows on its day, and changes your coach makes follow within the hour.'),
        h('div', { class: 'actions' }, h('button', {
          type: 'button', onclick: () => act(() => post(`/api/athletes/${athleteId}/calendar-feed`), 'Your calendar address is ready.'),
        }, 'Make a calendar address')),
        status);
      return;
    }
    const field = h('input', { id: 'feed-url', type: 'text', readonly: true, value: feed.url, 'aria-label': 'Calendar address', onfocus: (e) => e.target.select() });
    clear(body).append(
      h('p', { class: 'muted small' }, 'Add it in your calendar app as a subscription ("From URL" in Google Calendar, "New calendar subscription" in Apple Calendar). Anyone with the address sees your plan, so keep it to yourself.'),
      field,
      h('div', { class: 'actions' },
        copyButton(() => feed.url, 'Copy the address'),
        h('a', { class: 'button secondary', href: feed.webcalUrl }, 'Open in your calendar app')),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'secondary',
          onclick: () => act(() => post(`/api/athletes/${athleteId}/calendar-feed`), 'A new address is ready; the old one no longer works.'),
        }, 'Make a new address'),
        h('button', {
          type: 'button', class: 'secondary',
          onclick: () => act(() => del(`/api/athletes/${athleteId}/calendar-feed`), 'Stopped: calendar apps no longer receive your plan.'),
        }, 'Stop sharing')),
      status);
  }

  return { element, refresh };
}
