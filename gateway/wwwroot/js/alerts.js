// The live alert list: GET /api/alerts once, then every change from the SSE stream. Critical
// alerts must be impossible to miss: a red banner, a pulsing row, the count in the title and,
// when the operator turns it on, a beep.
import { api, getToken, ApiError } from './api.js';
import { t, formatAge, onLangChange } from './i18n.js';
import { esc, show, showError } from './dom.js';
import { serverNow } from './api.js';

const active = new Map(); // id -> alert, open or acknowledged
const listeners = [];
let source = null;
let buffering = null; // events that arrive while the list loads
let me = null;

const severityOrder = { critical: 0, high: 1, medium: 2, low: 3 };
export const outcomes = ['visited-ok', 'false-alarm', 'medical', 'emergency-services', 'activity-resumed', 'other'];

/** Called with each alert change (from the stream or an action here): the board updates one tile. */
export const onAlertChange = listener => listeners.push(listener);

export function startAlerts(caller) {
  me = caller;
  stopAlerts();
  buffering = [];
  // The stream first, the list second: no change between the two is lost; an event for a
  // state the list already has is applied again, harmlessly.
  openStream();
  reload();
}

export function stopAlerts() {
  source?.close();
  source = null;
  active.clear();
  render();
}

async function reload() {
  buffering ??= [];
  try {
    const list = await api('/api/alerts?state=active&limit=5000');
    active.clear();
    for (const alert of list) active.set(alert.id, alert);
    show('alerts-error', false);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) showError('alerts-error', e);
  }
  const pending = buffering;
  buffering = null;
  for (const alert of pending) apply(alert, false);
  render();
}

function openStream() {
  setStreamState('connecting');
  source = new EventSource(`/api/alerts/stream?access_token=${encodeURIComponent(getToken())}`);
  source.addEventListener('open', () => setStreamState('live'));
  source.addEventListener('alert', event => {
    const alert = JSON.parse(event.data);
    if (buffering) buffering.push(alert);
    else { apply(alert, true); render(); }
  });
  source.addEventListener('reset', () => reload());
  source.addEventListener('error', async () => {
    setStreamState('down');
    // EventSource retries by itself, with Last-Event-ID; it gives up only on an HTTP error
    // such as 401, which /api/me then reports (and sends the operator to sign-in).
    if (source?.readyState === EventSource.CLOSED) {
      try { await api('/api/me'); } catch { /* handled by the 401 hook */ }
    }
  });
}

function setStreamState(name) {
  const state = document.getElementById('stream-state');
  state.className = `stream ${name}`;
  state.dataset.state = name;
  state.textContent = t(`stream.${name}`);
}

function apply(alert, live) {
  const known = active.get(alert.id);
  if (known && known.updatedAt > alert.updatedAt) return; // an older change replayed
  if (alert.state === 'resolved') active.delete(alert.id);
  else active.set(alert.id, alert);
  if (live && alert.change === 'raised' && alert.severity === 'critical') beep();
  for (const listener of listeners) listener(alert);
}

export const activeAlerts = () => [...active.values()];

function sorted() {
  return activeAlerts().sort((a, b) =>
    (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1)
    || severityOrder[a.severity] - severityOrder[b.severity]
    || (b.raisedAt < a.raisedAt ? -1 : b.raisedAt > a.raisedAt ? 1 : 0));
}

/** One table row of an alert, with its actions; shared with the household page. */
export function alertRow(alert) {
  // A family acknowledges only while the alert is at the family level (docs/api.md).
  const canAck = me && alert.state === 'open' && (me.role === 'admin' || me.role === 'operator' || (me.role === 'family' && alert.level === 'family'));
  const canResolve = me && (me.role === 'admin' || me.role === 'operator');
  return `<tr class="row-${esc(alert.severity)} state-${esc(alert.state)}" data-alert="${esc(alert.id)}">
    <td><span class="sev sev-${esc(alert.severity)}">${esc(t(`sev.${alert.severity}`))}</span></td>
    <td><a href="#/household/${encodeURIComponent(alert.household)}">${esc(alert.household)}</a></td>
    <td>${esc(alert.community)} / ${esc(alert.grid ?? '')}</td>
    <td class="kind">${esc(t(`kind.${alert.kind}`))}${alert.count > 1 ? ` ×${alert.count}` : ''}</td>
    <td>${esc(alert.reason ?? '')}</td>
    <td>${esc(t(`level.${alert.level}`))}</td>
    <td class="state">${esc(t(`state.${alert.state}`))}${alert.acknowledgedBy ? ` · ${esc(alert.acknowledgedBy)}` : ''}</td>
    <td class="age" data-since="${esc(alert.raisedAt)}">${esc(formatAge(serverNow() - Date.parse(alert.raisedAt)))}</td>
    <td>${esc(alert.device ?? '')}</td>
    <td class="actions">
      ${canAck ? `<button type="button" data-action="ack">${esc(t('action.ack'))}</button>` : ''}
      ${canResolve ? `<button type="button" data-action="resolve" class="primary">${esc(t('action.resolve'))}</button>` : ''}
    </td></tr>`;
}

function render() {
  const list = sorted();
  document.getElementById('alerts-body').innerHTML = list.map(alertRow).join('');
  show('alerts-empty', list.length === 0 && me !== null);
  document.getElementById('alerts-count').textContent = t('alerts.count', { n: list.length });
  const critical = list.filter(a => a.severity === 'critical' && a.state === 'open').length;
  const banner = document.getElementById('critical-banner');
  banner.hidden = critical === 0;
  banner.dataset.count = String(critical);
  banner.textContent = `${t('banner.critical', { n: critical })} ${t('banner.hint')}`;
  document.title = critical > 0 ? `(${critical}) LightsOn` : 'LightsOn';
}

onLangChange(() => {
  render();
  const state = document.getElementById('stream-state');
  if (state.dataset.state) setStreamState(state.dataset.state);
});

// Ages tick; only the few rows of the alert tables are touched.
setInterval(() => {
  for (const cell of document.querySelectorAll('td[data-since]')) {
    cell.textContent = formatAge(serverNow() - Date.parse(cell.dataset.since));
  }
}, 1000);

// --- actions, by event delegation on the tables that show alert rows ---

export function wireAlertActions(tableBody, afterChange = () => {}) {
  tableBody.addEventListener('click', async event => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const id = button.closest('tr[data-alert]').dataset.alert;
    const errorTarget = tableBody.closest('.view').querySelector('.error');
    if (button.dataset.action === 'ack') {
      button.disabled = true;
      try {
        changed(await api(`/api/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST', body: {} }));
        errorTarget.hidden = true;
        afterChange();
      } catch (e) {
        errorTarget.textContent = e.message;
        errorTarget.hidden = false;
        button.disabled = false;
      }
    } else if (button.dataset.action === 'resolve') {
      openResolve(id, afterChange);
    }
  });
}

/** An action's answer is the changed alert: show it now, the stream event follows. */
function changed(alert) {
  apply(alert, false);
  render();
}

let resolving = null;

function openResolve(id, afterChange) {
  const alert = active.get(id);
  resolving = { id, afterChange };
  const dialog = document.getElementById('resolve-dialog');
  document.getElementById('resolve-which').textContent =
    alert ? t('resolve.which', { kind: t(`kind.${alert.kind}`), household: alert.household }) : id;
  const select = document.getElementById('resolve-outcome');
  select.innerHTML = outcomes.map(o => `<option value="${o}">${esc(t(`outcome.${o}`))}</option>`).join('');
  document.getElementById('resolve-note').value = '';
  show('resolve-error', false);
  dialog.showModal();
}

export function wireResolveDialog() {
  const dialog = document.getElementById('resolve-dialog');
  document.getElementById('resolve-cancel').addEventListener('click', () => dialog.close());
  // A message about the last attempt goes as soon as the operator changes the answer.
  for (const id of ['resolve-outcome', 'resolve-note']) {
    document.getElementById(id).addEventListener('input', () => show('resolve-error', false));
  }
  document.getElementById('resolve-form').addEventListener('submit', async event => {
    event.preventDefault();
    const outcome = document.getElementById('resolve-outcome').value;
    const note = document.getElementById('resolve-note').value.trim();
    const error = document.getElementById('resolve-error');
    if (outcome === 'other' && note === '') {
      error.textContent = t('resolve.noteRequired');
      error.hidden = false;
      return;
    }
    const submit = document.getElementById('resolve-submit');
    submit.disabled = true;
    try {
      const body = note === '' ? { outcome } : { outcome, note };
      changed(await api(`/api/alerts/${encodeURIComponent(resolving.id)}/resolve`, { method: 'POST', body }));
      dialog.close();
      resolving.afterChange();
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
}

// --- sound: off by default; browsers allow audio only after a click, which the toggle is ---

let audio = null;
export function wireSound() {
  const toggle = document.getElementById('sound');
  toggle.checked = localStorage.getItem('lightson.sound') === 'on';
  toggle.addEventListener('change', () => {
    localStorage.setItem('lightson.sound', toggle.checked ? 'on' : 'off');
    if (toggle.checked) { audio ??= new AudioContext(); beep(); }
  });
}

function beep() {
  if (!document.getElementById('sound').checked) return;
  audio ??= new AudioContext();
  const now = audio.currentTime;
  for (const start of [0, 0.25, 0.5]) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, now + start);
    gain.gain.exponentialRampToValueAtTime(0.001, now + start + 0.2);
    tone.connect(gain).connect(audio.destination);
    tone.start(now + start);
    tone.stop(now + start + 0.2);
  }
}
