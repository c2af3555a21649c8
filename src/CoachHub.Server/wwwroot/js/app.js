// CoachHub web app: who is signed in, hash routes (#/board, #/athletes/ID ...), the navigation, and the live
// alert banner every coach page shows.
import { get, post, onUnauthorized } from './api.js';
import { h, clear, SEVERITY, SEVERITY_RANK, debounce, disclaimer } from './ui.js';
import { startLive, stopLive, onLive } from './live.js';
import { signInPage, signUpPage, forgotPage, resetPage, accountPage } from './pages/auth.js';
import { boardPage } from './pages/board.js';
import { inboxPage } from './pages/inbox.js';
import { athletePage } from './pages/athlete.js';
import { planPage } from './pages/plan.js';
import { squadPage } from './pages/squad.js';
import { reportPage } from './pages/report.js';
import { weekPage, historyPage, shoesPage } from './pages/athlete-self.js';
import { operationsPage } from './pages/operations.js';
import { calendarPage } from './pages/calendar.js';
import { runPage } from './pages/run.js';
import { importPage } from './pages/import.js';

const routes = [
  { path: 'signin', page: signInPage, public: true },
  { path: 'signup', page: signUpPage, public: true },
  { path: 'forgot', page: forgotPage, public: true },
  // A reset link works whether or not someone is signed in on this browser.
  { path: 'reset/:token', page: resetPage, public: true, anyone: true },
  { path: 'account', page: accountPage, nav: 'account' },
  { path: 'board', page: boardPage, role: 'coach', nav: 'board' },
  { path: 'inbox', page: inboxPage, role: 'coach', nav: 'inbox' },
  { path: 'squad', page: squadPage, role: 'coach', nav: 'squad' },
  { path: 'athletes/:id', page: athletePage, role: 'coach', nav: 'board' },
  { path: 'athletes/:id/plan', page: planPage, role: 'coach', nav: 'board' },
  { path: 'athletes/:id/calendar', page: calendarPage, role: 'coach', nav: 'board' },
  { path: 'calendar', page: calendarPage, role: 'athlete', nav: 'calendar' },
  { path: 'athletes/:id/runs/:runId', page: runPage, role: 'coach', nav: 'board' },
  { path: 'runs/:runId', page: runPage, role: 'athlete', nav: 'calendar' },
  { path: 'report', page: reportPage, role: 'athlete', nav: 'report' },
  { path: 'import', page: importPage, role: 'athlete', nav: 'report' },
  { path: 'week', page: weekPage, role: 'athlete', nav: 'week' },
  { path: 'history', page: historyPage, role: 'athlete', nav: 'history' },
  { path: 'shoes', page: shoesPage, role: 'athlete', nav: 'shoes' },
  { path: 'operations', page: operationsPage, role: 'admin', nav: 'operations' },
];

const NAV = {
  coach: [['board', 'Squad board'], ['inbox', 'Alert inbox'], ['squad', 'Squad & invites'], ['account', 'Account']],
  athlete: [['report', 'Report a run'], ['week', 'This week'], ['calendar', 'Calendar'], ['history', 'History'], ['shoes', 'Shoes'], ['account', 'Account']],
  admin: [['operations', 'Operations'], ['account', 'Account']],
};

const HOME = { coach: 'board', athlete: 'report', admin: 'operations' };
const home = (role) => HOME[role] ?? 'signin';

const app = {
  me: null,
  /** athleteId -> name, filled by the board; used by the live banner. */
  names: new Map(),
  navigate(path) {
    const target = `#/${path.replace(/^#?\/?/, '')}`;
    if (location.hash === target) render();
    else location.hash = target;
  },
  async signedIn(me) {
    app.me = me;
    startSession();
  },
  /** This browser's session is over (a password reset signed the account out everywhere). */
  async forget() {
    endSession();
  },
  async signOut() {
    try { await post('/api/auth/signout'); } catch { /* the cookie may already be gone */ }
    endSession();
    app.navigate('signin');
  },
  setTitle(text) {
    document.title = text ? `${text} · CoachHub` : 'CoachHub';
  },
  refreshInboxCount: () => {},
};

let cleanup = null;
let rendered = 0;
let navigations = 0;
let sessionSubscriptions = [];

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return { parts: path.split('/').filter(Boolean), query: new URLSearchParams(query) };
}

function match(parts) {
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params = {};
    if (pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i])), true) : p === parts[i]))) {
      return { route, params };
    }
  }
  return null;
}

async function render() {
  if (!location.hash.startsWith('#/') && location.hash !== '') return; // e.g. the skip link's #main
  const { parts, query } = parseHash();
  const found = match(parts);
  if (!found) { app.navigate(home(app.me?.role)); return; }
  const { route, params } = found;
  if (!route.public && !app.me) {
    app.navigate(`signin?next=${encodeURIComponent(location.hash.slice(2))}`);
    return;
  }
  if (route.public && !route.anyone && app.me) { app.navigate(home(app.me.role)); return; }
  if (route.role && app.me && route.role !== app.me.role) { app.navigate(home(app.me.role)); return; }

  if (cleanup) { try { cleanup(); } catch (e) { console.error(e); } cleanup = null; }
  renderNav(route.nav);
  // Each navigation draws into an element of its own: a page whose data arrives after the next navigation
  // (a slow squad list, then a click on another link) fills a detached element, never the page now shown.
  const navigation = ++navigations;
  const main = clear(document.getElementById('main')).appendChild(h('div', { class: 'page' }));
  try {
    const result = await route.page(main, { params, query, app });
    const done = typeof result === 'function' ? result : null;
    if (navigation !== navigations) { done?.(); return; }
    cleanup = done;
  } catch (error) {
    if (navigation !== navigations) return;
    console.error(error);
    main.append(h('div', { class: 'form-error', role: 'alert' }, `This page could not be shown: ${error?.summary ?? error?.message ?? error}`));
  }
  // After a navigation (not on first load), move the focus to the new page's heading for screen readers.
  const heading = main.querySelector('h1');
  if (rendered++ > 0 && heading && document.activeElement === document.body) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

function renderNav(active) {
  const nav = clear(document.getElementById('nav'));
  if (!app.me) return;
  for (const [path, text] of NAV[app.me.role] ?? []) {
    nav.append(h('a', { href: `#/${path}`, 'aria-current': path === active ? 'page' : null, dataset: { nav: path } },
      text, path === 'inbox' ? h('span', { class: 'count', id: 'inbox-count', hidden: true }) : null));
  }
  nav.append(h('button', { type: 'button', class: 'nav-signout', title: `Signed in as ${app.me.name}`, onclick: () => app.signOut() }, 'Sign out'));
  app.refreshInboxCount();
}

// ----- a signed-in session: live connection, the coach's banner and inbox count -----

function startSession() {
  startLive();
  if (app.me.role === 'coach') {
    const refreshCount = debounce(async () => {
      try {
        const inbox = await get('/api/inbox');
        showInboxCount(inbox.filter((a) => !a.acknowledgedAt).length);
      } catch { /* the count is a convenience */ }
    }, 200);
    app.refreshInboxCount = refreshCount;
    sessionSubscriptions.push(
      onLive('findingRaised', (m) => { if (SEVERITY_RANK[m.severity] >= SEVERITY_RANK.urgent) showBanner(m); }),
      // An athlete who left, or a squad closed, takes their alerts out of this coach's count.
      onLive(['findingRaised', 'alertAcknowledged', 'athleteLeft', 'squadClosed', 'reconnected'], refreshCount),
    );
  }
}

function endSession() {
  sessionSubscriptions.forEach((off) => off());
  sessionSubscriptions = [];
  stopLive();
  app.me = null;
  app.names.clear();
  app.refreshInboxCount = () => {};
  clear(document.getElementById('banners'));
  renderNav(null);
}

function showInboxCount(count) {
  const badge = document.getElementById('inbox-count');
  if (!badge) return;
  badge.hidden = count === 0;
  badge.textContent = String(count);
  badge.setAttribute('aria-label', `${count} unacknowledged`);
}

async function athleteName(id) {
  if (app.names.has(id)) return app.names.get(id);
  try {
    const dashboard = await get(`/api/athletes/${id}/dashboard`);
    app.names.set(id, dashboard.athlete.name);
    return dashboard.athlete.name;
  } catch {
    return 'An athlete';
  }
}

/** An urgent or emergency finding, on whatever page the coach is looking at, until dismissed. */
async function showBanner(message) {
  const banners = document.getElementById('banners');
  if (banners.querySelector(`[data-finding="${CSS.escape(message.findingId)}"]`)) return;
  const name = await athleteName(message.athleteId);
  const banner = h('section', {
    class: 'banner', role: 'alert', dataset: { severity: message.severity, finding: message.findingId, athlete: message.athleteId },
  },
  h('strong', {}, `${SEVERITY[message.severity]}: ${name}`),
  h('p', {}, message.coachMessage),
  h('p', { class: 'small' }, `Advised to the athlete: ${message.recommendedAction}`),
  disclaimer(message.disclaimer),
  h('div', { class: 'actions' },
    h('a', { class: 'button', href: '#/inbox' }, 'Open the inbox'),
    h('a', { class: 'button secondary', href: `#/athletes/${message.athleteId}` }, `View ${name}`),
    h('button', { type: 'button', class: 'secondary', onclick: () => banner.remove() }, 'Dismiss')));
  banners.prepend(banner);
}

// ----- start -----

onUnauthorized(() => {
  if (!app.me) return;
  endSession();
  app.navigate(`signin?expired=1&next=${encodeURIComponent(location.hash.slice(2))}`);
});

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  const main = document.getElementById('main');
  (main.querySelector('h1') ?? main).focus();
});

window.addEventListener('hashchange', render);

(async function boot() {
  try {
    app.me = await get('/api/me');
    startSession();
  } catch {
    app.me = null;
  }
  if (!location.hash || location.hash === '#/') history.replaceState(null, '', `#/${home(app.me?.role)}`);
  await render();
})();
