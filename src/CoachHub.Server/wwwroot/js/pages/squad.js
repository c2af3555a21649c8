// Squad settings and invitations: rename, how automation behaves, invite codes and join links to copy.
import { get, post, put, del, formKey, keySucceeded } from '../api.js';
import { h, clear, input, select, checkbox, formError, showApiError, busy, loading, failure, empty, dateTime, copyButton, confirmButton, camel, plural } from '../ui.js';
import { templatesCard } from '../templates.js';
import { loadSquads, pickSquad, rememberSquad } from '../squads.js';
import { createSquadForm } from './board.js';

const DAYS = [['monday', 'Monday'], ['tuesday', 'Tuesday'], ['wednesday', 'Wednesday'], ['thursday', 'Thursday'], ['friday', 'Friday'], ['saturday', 'Saturday'], ['sunday', 'Sunday']];
const HOURS = Array.from({ length: 24 }, (_, i) => [String(i), `${String(i).padStart(2, '0')}:00`]);

// Where the week closes: each athlete's own clock (no zone), or the squad's, one of the browser's IANA zones.
const ZONES = (current) => {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  if (current && !zones.includes(current)) zones.unshift(current);
  return [['', 'each athlete (their own time zone)'], ...zones.map((z) => [z, z.replaceAll('_', ' ')])];
};

export async function squadPage(main, { query, app }) {
  app.setTitle('Squad & invites');
  main.append(loading());
  let squads;
  try {
    squads = await loadSquads();
  } catch (error) {
    clear(main).append(h('h1', {}, 'Squad & invites'), failure(error, () => app.navigate('squad')));
    return;
  }
  clear(main);
  if (squads.length === 0) {
    // DOM append writes a null as the text "null": only what is there goes in.
    main.append(...[h('h1', {}, 'Create your squad'),
      query.get('welcome') ? h('p', {}, 'Welcome to CoachHub. Start with a squad; then invite your athletes with a code or a link.') : null,
      h('section', { class: 'card' }, createSquadForm(app, { after: () => app.navigate('squad') }))].filter(Boolean));
    return;
  }
  const squad = pickSquad(squads, query.get('squad'));
  const s = squad.settings;

  const head = h('div', { class: 'page-head' }, h('h1', {}, `${squad.name}: settings & invites`));
  if (squads.length > 1) {
    const chooser = select('squad', 'Squad', squads.map((q) => [q.squadId, q.name]), { value: squad.squadId });
    chooser.querySelector('select').addEventListener('change', (e) => { rememberSquad(e.target.value); app.navigate(`squad?squad=${e.target.value}`); });
    head.append(chooser);
  }

  // ----- invitations -----
  const invites = h('div', { 'aria-live': 'polite' });
  const inviteForm = h('form', { novalidate: true },
    formError(),
    h('div', { class: 'inline-fields' },
      input('email', 'For (email, optional)', { type: 'email', inputmode: 'email' }),
      input('daysValid', 'Valid for (days)', { type: 'number', inputmode: 'numeric', min: 1, max: 90, value: '14', hint: '1 to 90.' })),
    checkbox('singleUse', 'One athlete only (the code stops working once used)'),
    h('button', { type: 'submit' }, 'Create invite'));
  inviteForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = inviteForm.elements;
    const days = f.daysValid.value.trim();
    const body = { singleUse: f.singleUse.checked, daysValid: days === '' ? null : Number(days) };
    if (f.email.value.trim()) body.email = f.email.value.trim();
    busy(inviteForm, async () => {
      try {
        const invite = await post(`/api/squads/${squad.squadId}/invites`, body, { idempotencyKey: formKey(inviteForm) });
        keySucceeded(inviteForm);
        invites.querySelector('.empty')?.remove();
        invites.prepend(inviteCard(invite, body.email));
        loadCodes();
      } catch (error) {
        showApiError(inviteForm, error);
      }
    });
  });

  // ----- settings -----
  const settingsForm = h('form', { novalidate: true },
    formError(),
    h('div', { class: 'inline-fields' },
      select('deloadEveryBuildWeeks', 'A lighter (deload) week after', [['4', '4 build weeks'], ['5', '5 build weeks'], ['6', '6 build weeks']], { value: String(s.deloadEveryBuildWeeks), short: 'Deload interval' }),
      select('units', 'Distances in', [['kilometres', 'Kilometres'], ['miles', 'Miles']], { value: s.units, short: 'Units' }),
      select('weeklyAdjustmentDay', 'Next week is adjusted on', DAYS, { value: s.weeklyAdjustmentDay, short: 'Adjustment day' }),
      select('weeklyAdjustmentHour', 'at', HOURS, { value: String(s.weeklyAdjustmentHour), short: 'Adjustment hour' }),
      select('timeZone', 'on the clock of', ZONES(s.timeZone), { value: s.timeZone ?? '', short: 'Time zone' })),
    checkbox('adjustmentsNeedApproval', 'Automatic plan changes wait for my approval (pauses for safety never wait)', { checked: s.adjustmentsNeedApproval }),
    h('p', { class: 'form-ok', role: 'status', hidden: true }),
    h('button', { type: 'submit' }, 'Save settings'));
  settingsForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = settingsForm.elements;
    const ok = settingsForm.querySelector('.form-ok');
    ok.hidden = true;
    busy(settingsForm, async () => {
      try {
        const saved = await put(`/api/squads/${squad.squadId}/settings`, {
          deloadEveryBuildWeeks: Number(f.deloadEveryBuildWeeks.value),
          adjustmentsNeedApproval: f.adjustmentsNeedApproval.checked,
          units: f.units.value,
          weeklyAdjustmentDay: f.weeklyAdjustmentDay.value,
          weeklyAdjustmentHour: Number(f.weeklyAdjustmentHour.value),
          timeZone: f.timeZone.value,
        });
        Object.assign(squad.settings, saved);
        ok.textContent = 'Settings saved.';
        ok.hidden = false;
      } catch (error) {
        showApiError(settingsForm, error);
      }
    });
  });

  // ----- name -----
  const renameForm = h('form', { novalidate: true, class: 'row', style: 'align-items:flex-end' },
    formError(),
    h('div', { style: 'flex:1 1 14em' }, input('name', 'Squad name', { value: squad.name })),
    h('button', { type: 'submit', class: 'secondary', style: 'margin-bottom:14px' }, 'Rename'));
  renameForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(renameForm, async () => {
      try {
        const renamed = await put(`/api/squads/${squad.squadId}/name`, { name: renameForm.elements.name.value });
        head.querySelector('h1').textContent = `${renamed.name}: settings & invites`;
      } catch (error) {
        showApiError(renameForm, error);
      }
    });
  });

  // ----- coaches -----
  const coachList = h('ul', { class: 'coach-list', 'aria-live': 'polite' });
  const coachStatus = h('p', { class: 'small', role: 'status' });
  // The head coach takes coaches off and hands the squad over; an added coach can step down. A second click confirms.
  const coachAction = (text, confirmText, work) => confirmButton(text, confirmText, work, (error) => { coachStatus.textContent = error.summary ?? String(error); });
  const closeBox = h('div', {});
  const showCoaches = (coaches) => {
    const iAmHead = coaches.some((c) => c.head && c.coachId === app.me.userId);
    // Only the head coach closes the squad; its athletes keep their history and can join another.
    clear(closeBox).append(...(iAmHead ? [h('hr'),
      coachAction('Close this squad', `Close ${squad.name}: its athletes leave it and its codes stop working`, async () => {
        await del(`/api/squads/${squad.squadId}`);
        app.navigate('board');
      })] : []));
    clear(coachList).append(...coaches.map((c) => h('li', { dataset: { coach: c.coachId } },
      c.name || 'A coach', c.head ? h('span', { class: 'badge', style: 'margin-left:6px' }, 'head coach') : null,
      iAmHead && !c.head ? [' ',
        coachAction('Make head coach', `Hand ${squad.name} to ${c.name}: they decide who coaches it`, async () => {
          showCoaches(await post(`/api/squads/${squad.squadId}/handover`, { coachId: c.coachId }));
          coachStatus.textContent = `${c.name} is the head coach now; you go on coaching the squad.`;
        }),
        ' ',
        coachAction('Take off', `Take ${c.name} off: they stop seeing the squad`, async () => {
          showCoaches(await del(`/api/squads/${squad.squadId}/coaches/${c.coachId}`));
          coachStatus.textContent = `${c.name} no longer coaches the squad.`;
        })] : null,
      !c.head && c.coachId === app.me.userId ? [' ',
        coachAction('Step down', 'Step down: you stop seeing this squad', async () => {
          await del(`/api/squads/${squad.squadId}/coaches/${c.coachId}`);
          app.navigate('board');
        })] : null)));
  };
  get(`/api/squads/${squad.squadId}/coaches`).then(showCoaches).catch(() => clear(coachList).append(h('li', { class: 'muted' }, 'The coaches could not be loaded.')));
  const coachForm = h('form', { novalidate: true, class: 'row', style: 'align-items:flex-end' },
    formError(),
    h('div', { style: 'flex:1 1 14em' }, input('email', 'Add a coach (their CoachHub email)', { type: 'email', inputmode: 'email', short: 'Coach email' })),
    h('button', { type: 'submit', class: 'secondary', style: 'margin-bottom:14px' }, 'Add coach'));
  coachForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(coachForm, async () => {
      try {
        showCoaches(await post(`/api/squads/${squad.squadId}/coaches`, { email: coachForm.elements.email.value.trim() || null }, { idempotencyKey: formKey(coachForm) }));
        keySucceeded(coachForm);
        coachForm.reset();
      } catch (error) {
        showApiError(coachForm, error);
      }
    });
  });

  // ----- the squad's codes: listed, withdrawn -----
  const codes = h('div', { class: 'invite-codes', 'aria-live': 'polite' });
  async function loadCodes() {
    let list;
    try {
      list = await get(`/api/squads/${squad.squadId}/invites`);
    } catch (error) {
      clear(codes).append(failure(error, loadCodes));
      return;
    }
    clear(codes).append(h('h3', {}, 'Codes given out'), list.length === 0
      ? h('p', { class: 'muted small' }, 'None: every code was withdrawn, or none was made yet.')
      : h('ul', { class: 'plain' }, list.map((c) => h('li', { dataset: { code: c.code } },
        h('strong', {}, c.code), ' ',
        h('span', { class: 'small muted' }, [
          c.email ? `for ${c.email}` : 'for anyone with it',
          c.singleUse ? 'one athlete' : null,
          `used ${plural(c.uses, 'time')}`,
          c.usable ? `valid until ${dateTime(c.expiresAt)}` : 'no longer valid',
        ].filter(Boolean).join(' · ')), ' ',
        h('button', {
          type: 'button', class: 'secondary', 'aria-label': `Withdraw code ${c.code}`,
          onclick: async (e) => {
            e.target.disabled = true;
            try {
              await del(`/api/squads/${squad.squadId}/invites/${encodeURIComponent(c.code)}`);
              invites.querySelector(`[data-invite="${CSS.escape(c.code)}"]`)?.remove();
            } catch (error) {
              e.target.disabled = false;
              codes.append(h('p', { class: 'form-error', role: 'alert' }, `The code could not be withdrawn: ${error?.summary ?? error?.message ?? error}`));
              return;
            }
            loadCodes();
          },
        }, 'Withdraw')))));
  }
  loadCodes();

  main.append(head,
    h('p', { class: 'muted' }, `${plural(squad.athletes, 'athlete')} in this squad.`),
    h('div', { class: 'grid grid-2' },
      h('section', { class: 'card', 'aria-labelledby': 'invite-title' },
        h('h2', { id: 'invite-title' }, 'Invite athletes'),
        h('p', { class: 'small muted' }, 'Share the code, or the link: it opens the sign-up page with the code filled in. Withdraw a code when it should let nobody else in.'),
        inviteForm, invites, codes),
      h('section', { class: 'card', 'aria-labelledby': 'settings-title' },
        h('h2', { id: 'settings-title' }, 'Settings'), settingsForm, h('hr'), renameForm),
      h('section', { class: 'card', 'aria-labelledby': 'coaches-title' },
        h('h2', { id: 'coaches-title' }, 'Coaches'),
        h('p', { class: 'small muted' }, 'Every coach of the squad sees its athletes and hears their alerts at once. Only the head coach adds coaches, takes them off or hands the squad over; nobody can take the head coach off.'),
        coachList, coachStatus, coachForm, closeBox),
      templatesCard(squad.squadId, camel(s.units))),
    h('details', { class: 'more' }, h('summary', {}, 'Create another squad'), h('div', { class: 'card' }, createSquadForm(app))));
  if (squad.athletes === 0) invites.append(empty('No athletes yet: create an invite and send it to them.'));
}

function inviteCard(invite, email) {
  const link = new URL(invite.joinLink, location.origin).href;
  return h('div', { class: 'card', dataset: { invite: invite.code }, style: 'background:#f7f9fb' },
    h('h3', {}, email ? `Invite for ${email}` : 'New invite'),
    h('p', { class: 'small muted' }, `Valid until ${dateTime(invite.expiresAt)}${invite.singleUse ? ', for one athlete' : ', for any number of athletes'}.`),
    h('p', { class: 'label' }, 'Invite code'),
    h('div', { class: 'code-box', dataset: { code: invite.code } }, invite.code),
    copyButton(() => invite.code, 'Copy code'),
    h('p', { class: 'label', style: 'margin-top:10px' }, 'Join link'),
    h('div', { class: 'link-box' }, link),
    copyButton(() => link, 'Copy link'));
}
