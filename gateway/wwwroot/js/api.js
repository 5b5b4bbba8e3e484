// Calls to the gateway's HTTP API with the signed-in token. The token lives in sessionStorage:
// it goes when the tab closes, and other sites' pages cannot read it.
const tokenKey = 'lightson.token';

export class ApiError extends Error {
  constructor(status, error, message) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

let onUnauthorized = () => {};
export const whenUnauthorized = handler => { onUnauthorized = handler; };

export const getToken = () => sessionStorage.getItem(tokenKey);
export const setToken = token => sessionStorage.setItem(tokenKey, token);
export const clearToken = () => sessionStorage.removeItem(tokenKey);

/**
 * One API call. Errors come back as ApiError with the API's own message (docs/api.md: every
 * error is {"error","message"}); a 401 also sends the operator back to sign-in.
 */
export async function api(path, { method = 'GET', body, token = getToken() } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  const text = await response.text();
  const json = text ? safeParse(text) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, json?.error ?? `http-${response.status}`, json?.message ?? `HTTP ${response.status} ${response.statusText}`);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  return json;
}

function safeParse(text) {
  try { return JSON.parse(text); } catch { return null; }
}

// The gateway may run on a demo or test clock (Clock:Start, Clock:Speed): ages and "today"
// are measured on its clock, read from /healthz, not on the browser's.
let skewMs = 0;
let speed = 1;
let readAt = Date.now();
export async function syncClock() {
  try {
    const health = await (await fetch('/healthz')).json();
    readAt = Date.now();
    skewMs = new Date(health.clock).getTime() - readAt;
    speed = health.speed > 0 ? health.speed : 1;
  } catch {
    skewMs = 0;
  }
}
export const serverNow = () => readAt + skewMs + (Date.now() - readAt) * speed;
