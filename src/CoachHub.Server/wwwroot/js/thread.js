// Conversations on runs and reports between the athlete and the squad's coaches: one thread's messages with a box
// to write, updated live; and the list of an athlete's threads with what the reader has not read.
import { get, post, newKey } from './api.js';
import { h, clear, dateTime, failure, shortDate, showApiError, clearErrors, textarea, formError, busy } from './ui.js';
import { onLive } from './live.js';

const path = (athleteId, kind, threadId) => `/api/athletes/${athleteId}/${kind === 'report' ? 'reports' : 'runs'}/${threadId}/comments`;

/** One thread; returns { element, destroy }. Reading it marks it read. */
export function threadPanel(athleteId, kind, threadId, title) {
  const list = h('ol', { class: 'comments', 'aria-live': 'polite' });
  const form = h('form', { novalidate: true, class: 'comment-form' },
    formError(),
    textarea('text', kind === 'report' ? 'Write about this report' : 'Write about this run', { maxlength: 2000, rows: 2 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Send')));
  const headingId = `thread-${threadId}`;
  const element = h('section', { class: 'card thread', dataset: { thread: threadId }, 'aria-labelledby': headingId },
    h('h2', { id: headingId }, title), list, form);
  let key = newKey();

  async function load() {
    let thread;
    try {
      thread = await get(path(athleteId, kind, threadId));
    } catch (error) {
      clear(list).append(h('li', {}, failure(error, load)));
      return;
    }
    clear(list).append(...(thread.comments.length
      ? thread.comments.map((c) => h('li', { class: c.mine ? 'mine' : '', dataset: { comment: c.commentId } },
        h('p', { class: 'small muted' }, h('strong', {}, c.authorName), c.byCoach ? ' (coach)' : '', ` · ${dateTime(c.postedAt)}`),
        h('p', {}, c.text)))
      : [h('li', { class: 'muted' }, 'No messages yet.')]));
    if (thread.unread) post(`${path(athleteId, kind, threadId)}/read`).catch(() => {});
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const text = form.elements.text.value;
    await busy(form, async () => {
      try {
        await post(path(athleteId, kind, threadId), { text }, { idempotencyKey: key });
        key = newKey();
        form.elements.text.value = '';
        await load();
      } catch (error) {
        showApiError(form, error);
      }
    });
  });

  const off = onLive(['commentPosted', 'reconnected'], (m) => { if (!m || m.threadId === threadId) load(); });
  load();
  return { element, destroy: off };
}

/** The athlete's threads, latest first, each with its unread count and a way to open it. */
export function threadsCard(athleteId, runLink) {
  const body = h('div', {});
  const element = h('section', { class: 'card', 'aria-labelledby': 'threads-title' }, h('h2', { id: 'threads-title' }, 'Conversation'), body);
  const opened = [];

  async function load() {
    let threads;
    try {
      threads = await get(`/api/athletes/${athleteId}/threads`);
    } catch (error) {
      clear(body).append(failure(error, load));
      return;
    }
    if (!threads.length) {
      clear(body).append(h('p', { class: 'muted' }, 'No messages yet. Open a run from the calendar to write about it.'));
      return;
    }
    clear(body).append(h('ul', { class: 'plain-list threads' }, threads.map((t) => {
      const what = `${t.thread === 'report' ? 'Report' : 'Run'} of ${shortDate(t.localDate)}`;
      const unread = t.unread ? h('span', { class: 'badge unread' }, `${t.unread} new`) : null;
      const last = h('span', { class: 'small muted' }, ` ${t.lastAuthor}: ${t.lastText.length > 80 ? `${t.lastText.slice(0, 80)}…` : t.lastText}`);
      if (t.runId) return h('li', { dataset: { thread: t.threadId } }, h('a', { href: runLink(t.runId) }, what), ' ', unread, last);
      // A report without a run has no page of its own: its thread opens here.
      const open = h('button', { type: 'button', class: 'link' }, what);
      const item = h('li', { dataset: { thread: t.threadId } }, open, ' ', unread, last);
      open.addEventListener('click', () => {
        const panel = threadPanel(athleteId, 'report', t.threadId, what);
        opened.push(panel);
        item.append(panel.element);
        open.disabled = true;
      });
      return item;
    })));
  }

  const off = onLive(['commentPosted', 'reconnected'], () => load());
  load();
  return { element, destroy: () => { off(); opened.forEach((p) => p.destroy()); } };
}
