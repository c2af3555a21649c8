// The CoachHub HTTP API, called with the web app's cookie (same origin). Failures become ApiError with the
// problem+json body, so pages can show each field's error next to the field.

/** A failed call: status, the problem's title/detail/code and its per-field errors. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.errors = problem?.errors ?? {};
    this.code = problem?.code;
  }

  /** One sentence for a person, for errors that belong to no single field. */
  get summary() {
    switch (this.status) {
      case 0: return 'CoachHub cannot be reached. Check your connection and try again.';
      case 401: return this.problem.title || 'Please sign in.';
      case 403: return 'Your account is not allowed to do that.';
      case 404: return 'That was not found, or it is not yours to see.';
      case 412: return 'Someone changed this while you were editing. Reload and try again.';
      case 413: return 'That is too much to send at once.';
      case 429: return 'Too many attempts. Please wait a minute and try again.';
      default:
        if (this.status >= 500) {
          return `Something went wrong on our side.${this.problem.traceId ? ` (reference ${this.problem.traceId})` : ''} Please try again.`;
        }
        return this.problem.detail || this.problem.title || 'That did not work.';
    }
  }
}

let unauthorizedHandler = () => {};

/** Called when a signed-in call answers 401: the session has ended. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export async function api(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  // The version the user saw: a change made meanwhile by someone else is refused (412), not overwritten.
  if (options.ifMatch !== undefined && options.ifMatch !== null) headers['If-Match'] = `"${options.ifMatch}"`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { title: 'Offline' });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { title: text.slice(0, 200) }; }
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/api/auth/')) unauthorizedHandler();
    throw new ApiError(response.status, data);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body, options) => api('POST', path, body ?? {}, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/** A fresh key per logical submission; a form keeps it for its retries until one succeeds (the server answers a retry as the first try). */
export function newKey() {
  return globalThis.crypto?.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

const formKeys = new WeakMap();

/** The key of the submission a form is making: the same for every retry, until keySucceeded(form) starts a new one. */
export function formKey(form) {
  if (!formKeys.has(form)) formKeys.set(form, newKey());
  return formKeys.get(form);
}

export function keySucceeded(form) {
  formKeys.delete(form);
}
