// Sign in, and sign up as a coach or as an athlete (with an invite code, filled in from a join link).
import { post, ApiError } from '../api.js';
import { h, input, select, radios, formValue, formError, showErrors, showApiError, clearErrors, busy } from '../ui.js';

async function signIn(email, password) {
  return post('/api/auth/signin?useCookies=true', { email, password });
}

export function signInPage(main, { query, app }) {
  app.setTitle('Sign in');
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    query.get('expired') ? h('p', { class: 'muted' }, 'Your session ended. Please sign in again.') : null,
    query.get('reset') ? h('p', { class: 'form-ok', role: 'status' }, 'Your new password is saved. Sign in with it.') : null,
    formError(),
    input('email', 'Email', { type: 'email', autocomplete: 'username', inputmode: 'email', required: true }),
    input('password', 'Password', { type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit', class: 'big' }, 'Sign in'),
    h('p', {}, h('a', { href: '#/forgot' }, 'Forgot your password?')),
    h('p', {}, 'New to CoachHub? ', h('a', { href: '#/signup' }, 'Create an account')));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const email = formValue(form, 'email');
    const password = form.elements.password.value;
    const missing = {};
    if (!email) missing.email = ['Enter your email address.'];
    if (!password) missing.password = ['Enter your password.'];
    if (Object.keys(missing).length) { showErrors(form, missing); return; }
    busy(form, async () => {
      try {
        const me = await signIn(email, password);
        await app.signedIn(me);
        app.navigate(query.get('next') || (me.role === 'coach' ? 'board' : 'report'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) showErrors(form, {}, { summary: 'That email and password do not match an account. Check them and try again.' });
        else showApiError(form, error);
      }
    });
  });
  main.append(h('div', { class: 'narrow' }, form));
}

export function signUpPage(main, { query, app }) {
  app.setTitle('Create an account');
  const code = query.get('code') ?? '';
  let role = query.get('role') ?? (code ? 'athlete' : 'coach');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

  const athleteOnly = h('div', {},
    input('timeZone', 'Your time zone', { value: zone, list: 'time-zones', autocomplete: 'off', hint: 'Your training days follow this clock, e.g. Europe/Dublin.' }),
    h('datalist', { id: 'time-zones' }, zones.map((z) => h('option', { value: z }))),
    select('units', 'Distances in', [['kilometres', 'Kilometres'], ['miles', 'Miles']], { value: 'kilometres' }),
    input('inviteCode', 'Invite code from your coach', { value: code, autocomplete: 'off', hint: 'Optional: you can join a squad later.' }));

  const form = h('form', { novalidate: true, class: 'card' },
    h('h1', {}, 'Create an account'),
    code ? h('p', { class: 'form-ok' }, 'You were invited to a squad: the code is filled in below.') : null,
    formError(),
    radios('role', 'I am', [['coach', 'A coach'], ['athlete', 'An athlete']], { value: role, short: 'Role' }),
    input('name', 'Your name', { autocomplete: 'name', required: true }),
    input('email', 'Email', { type: 'email', autocomplete: 'email', inputmode: 'email', required: true }),
    input('password', 'Password', { type: 'password', autocomplete: 'new-password', hint: 'At least 12 characters: a few unrelated words work well.', required: true }),
    athleteOnly,
    h('button', { type: 'submit', class: 'big' }, 'Create account'),
    h('p', {}, 'Already have an account? ', h('a', { href: '#/signin' }, 'Sign in')));

  const showRole = () => { athleteOnly.hidden = role !== 'athlete'; };
  form.addEventListener('change', (e) => {
    if (e.target.name === 'role') { role = e.target.value; showRole(); }
  });
  showRole();

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { name: formValue(form, 'name') ?? '', email: formValue(form, 'email') ?? '', password: form.elements.password.value };
    if (role === 'athlete') {
      body.timeZone = formValue(form, 'timeZone') ?? '';
      body.units = formValue(form, 'units');
      const invite = formValue(form, 'inviteCode');
      if (invite) body.inviteCode = invite;
    }
    busy(form, async () => {
      try {
        await post(role === 'coach' ? '/api/auth/coaches' : '/api/auth/athletes', body);
        const me = await signIn(body.email, body.password);
        await app.signedIn(me);
        app.navigate(me.role === 'coach' ? 'squad?welcome=1' : 'report');
      } catch (error) {
        showApiError(form, error);
      }
    });
  });
  main.append(h('div', { class: 'narrow' }, form));
}

const PASSWORD_HINT = 'At least 12 characters: a few unrelated words work well.';

/** Asks for a reset link; says the same whether or not the email has an account. */
export function forgotPage(main, { app }) {
  app.setTitle('Forgot your password');
  const done = h('p', { class: 'form-ok', role: 'status', hidden: true });
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'forgot-title' },
    h('h1', { id: 'forgot-title' }, 'Forgot your password?'),
    h('p', {}, 'We mail a link to choose a new one. It works once, within an hour.'),
    formError(),
    input('email', 'Email', { type: 'email', autocomplete: 'username', inputmode: 'email', required: true }),
    h('button', { type: 'submit', class: 'big' }, 'Mail me a link'),
    done,
    h('p', {}, h('a', { href: '#/signin' }, 'Back to sign in')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const email = formValue(form, 'email');
    if (!email) { showErrors(form, { email: ['Enter your email address.'] }); return; }
    busy(form, async () => {
      try {
        const answer = await post('/api/auth/password-reset', { email });
        clearErrors(form);
        done.textContent = answer.message;
        done.hidden = false;
      } catch (error) {
        showApiError(form, error);
      }
    });
  });
  main.append(h('div', { class: 'narrow' }, form));
}

/** The page a reset link opens: a new password, then sign in with it. */
export function resetPage(main, { params, app }) {
  app.setTitle('Choose a new password');
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'reset-title' },
    h('h1', { id: 'reset-title' }, 'Choose a new password'),
    h('p', {}, 'Your account is then signed out everywhere; sign in again with the new password.'),
    formError(),
    input('newPassword', 'New password', { type: 'password', autocomplete: 'new-password', hint: PASSWORD_HINT, required: true }),
    h('button', { type: 'submit', class: 'big' }, 'Save the new password'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const newPassword = form.elements.newPassword.value;
    if (!newPassword) { showErrors(form, { newPassword: ['Enter a new password.'] }); return; }
    busy(form, async () => {
      try {
        await post('/api/auth/password-reset/complete', { token: params.token, newPassword });
        if (app.me) await app.forget();
        app.navigate('signin?reset=1');
      } catch (error) {
        const link = error instanceof ApiError && error.status === 400 && error.errors?.token;
        if (link) showErrors(form, {}, { summary: 'This link was used already or has expired. Ask for a new one from the sign-in page.' });
        else showApiError(form, error);
      }
    });
  });
  main.append(h('div', { class: 'narrow' }, form));
}

/** The signed-in user's account: a new password, with the current one. */
export function accountPage(main, { app }) {
  app.setTitle('Your account');
  const done = h('p', { class: 'form-ok', role: 'status', hidden: true });
  const form = h('form', { novalidate: true, class: 'card', 'aria-labelledby': 'account-title' },
    h('h1', { id: 'account-title' }, 'Your account'),
    h('p', {}, `Signed in as ${app.me.name}.`),
    h('h2', {}, 'Change your password'),
    h('p', { class: 'muted' }, 'Every other device signed in to your account is signed out; this one stays signed in.'),
    formError(),
    input('currentPassword', 'Current password', { type: 'password', autocomplete: 'current-password', required: true }),
    input('newPassword', 'New password', { type: 'password', autocomplete: 'new-password', hint: PASSWORD_HINT, required: true }),
    h('button', { type: 'submit' }, 'Change password'),
    done);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { currentPassword: form.elements.currentPassword.value, newPassword: form.elements.newPassword.value };
    const missing = {};
    if (!body.currentPassword) missing.currentPassword = ['Enter your current password.'];
    if (!body.newPassword) missing.newPassword = ['Enter a new password.'];
    if (Object.keys(missing).length) { showErrors(form, missing); return; }
    done.hidden = true;
    busy(form, async () => {
      try {
        await post('/api/auth/password', body);
        form.reset();
        clearErrors(form);
        done.textContent = 'Your password is changed. Other devices are signed out.';
        done.hidden = false;
      } catch (error) {
        showApiError(form, error);
      }
    });
  });
  main.append(h('div', { class: 'narrow' }, form));
}
