// The operator console's shell: sign-in with a token, the language switch, and hash routes
// (#/alerts, #/board/{community}, #/household/{id}, #/report).
import { api, getToken, setToken, clearToken, whenUnauthorized, syncClock } from './api.js';
import { t, applyStatic, setLang, currentLang, onLangChange } from './i18n.js';
import { esc, show } from './dom.js';
import { startAlerts, stopAlerts, wireAlertActions, wireResolveDialog, wireSound } from './alerts.js';
import { showBoard, resetBoard, wireBoard } from './board.js';
import { showHousehold, leaveHousehold, wireHousehold } from './household.js';
import { showReport, wireReport } from './report.js';
import { startWebhooks, stopWebhooks } from './webhooks.js';

const views = ['signin', 'alerts', 'board', 'household', 'report'];
let me = null;

function showView(name) {
  for (const view of views) show(`view-${view}`, view === name);
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.route === name);
}

function showSignedIn(visible) {
  for (const id of ['nav', 'me', 'sign-out', 'sound-toggle', 'stream-state']) show(id, visible);
  if (!visible) show('critical-banner', false);
}

async function signIn(token) {
  const error = document.getElementById('signin-error');
  try {
    me = await api('/api/me', { token });
  } catch (e) {
    error.textContent = e.status === 401 ? `${t('signin.expired')} ${e.message}` : e.message;
    error.hidden = false;
    return false;
  }
  setToken(token);
  error.hidden = true;
  await syncClock();
  renderMe();
  showSignedIn(true);
  await fillCommunities();
  startAlerts(me);
  startWebhooks(me);
  return true;
}

function signOut(message) {
  stopAlerts();
  stopWebhooks();
  resetBoard();
  leaveHousehold();
  clearToken();
  me = null;
  showSignedIn(false);
  document.title = 'LightsOn';
  const error = document.getElementById('signin-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  document.getElementById('token').value = '';
  showView('signin');
}

function renderMe() {
  if (!me) return;
  const scope = me.household ? ` · ${me.household}` : me.communities?.length ? ` · ${me.communities.join(', ')}` : '';
  const element = document.getElementById('me');
  element.textContent = t('me.label', { name: me.name ?? me.id, role: t(`role.${me.role}`), scope });
  element.dataset.role = me.role;
}

/** The communities the caller may pick: its own, or, for the district, those on the board. */
async function fillCommunities() {
  let communities = me.communities ?? [];
  if (communities.length === 0 && me.role !== 'family') {
    const all = await api('/api/households');
    communities = [...new Set(all.map(h => h.community))].sort();
  }
  const options = `<option value="">${esc(t('board.all'))}</option>` +
    communities.map(c => `<option value="${esc(c)}">${esc(c)}</option>`).join('');
  for (const id of ['board-community', 'report-community']) {
    const select = document.getElementById(id);
    select.innerHTML = options;
    // One community at a time by default: a district's whole board can be very large.
    select.value = communities.length > 1 ? communities[0] : '';
  }
}

async function route() {
  if (!me) { showView('signin'); return; }
  // A family's console opens on its own household.
  const fallback = me.role === 'family' && me.household ? ['', 'household', me.household] : [];
  const [, name = 'alerts', arg] = location.hash ? location.hash.split('/').map(decodeURIComponent) : fallback;
  if (name !== 'household') leaveHousehold();
  switch (name) {
    case 'board':
      showView('board');
      await showBoard(arg);
      break;
    case 'household':
      if (arg) { showView('household'); await showHousehold(arg); }
      break;
    case 'report':
      showView('report');
      await showReport();
      break;
    default:
      showView('alerts');
  }
}

function wire() {
  document.getElementById('signin-form').addEventListener('submit', async event => {
    event.preventDefault();
    if (await signIn(document.getElementById('token').value.trim())) route();
  });
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  document.getElementById('lang').addEventListener('click', () => setLang(currentLang() === 'zh-CN' ? 'en' : 'zh-CN'));
  document.getElementById('critical-banner').addEventListener('click', () => { location.hash = '#/alerts'; });
  whenUnauthorized(error => { if (me) signOut(`${t('signin.expired')} ${error.message}`); });
  wireAlertActions(document.getElementById('alerts-body'));
  wireResolveDialog();
  wireSound();
  wireBoard(id => { location.hash = `#/household/${encodeURIComponent(id)}`; });
  wireHousehold();
  wireReport();
  addEventListener('hashchange', route);
  onLangChange(renderMe);
}

applyStatic();
wire();
const saved = getToken();
if (saved && await signIn(saved)) route();
else showView('signin');
