// The household board: one tile per household, coloured by status. Built for 10,000 tiles and
// more: the grid is built with one innerHTML, the status filter is a CSS attribute on the grid
// (nothing re-rendered), clicks are delegated to the grid, and an alert change re-reads and
// redraws only the tile of its household.
import { api } from './api.js';
import { t, onLangChange } from './i18n.js';
import { esc, show, showError } from './dom.js';
import { onAlertChange } from './alerts.js';

export const statuses = ['alert', 'trouble', 'away', 'unlit', 'lit'];
let households = new Map(); // id -> board entry
let loadedCommunity = null;
let loading = 0;

/** What a tile shows: an open alert first, then away, then device trouble, then lit or not. */
export function statusOf(h) {
  if (h.openAlerts > 0) return 'alert';
  if (h.away) return 'away';
  if (h.deviceTrouble > 0) return 'trouble';
  return h.litToday ? 'lit' : 'unlit';
}

const tileHtml = h =>
  `<div class="tile st-${statusOf(h)}" data-id="${esc(h.id)}" title="${esc(h.id)} · ${esc(h.community)}/${esc(h.grid)}">${esc(h.id)}</div>`;

export async function showBoard(community) {
  const select = document.getElementById('board-community');
  if (community !== undefined && select.value !== community) select.value = community;
  const wanted = select.value;
  if (wanted === loadedCommunity) return;
  const ticket = ++loading;
  const board = document.getElementById('board');
  board.setAttribute('aria-busy', 'true');
  try {
    const query = wanted ? `?community=${encodeURIComponent(wanted)}` : '';
    const list = await api(`/api/households${query}`);
    if (ticket !== loading) return; // a newer choice is on its way
    households = new Map(list.map(h => [h.id, h]));
    board.innerHTML = list.map(tileHtml).join('');
    loadedCommunity = wanted;
    show('board-error', false);
    renderCounts();
  } catch (e) {
    if (ticket === loading) showError('board-error', e);
  } finally {
    if (ticket === loading) board.removeAttribute('aria-busy');
  }
}

export function resetBoard() {
  households = new Map();
  loadedCommunity = null;
  document.getElementById('board').innerHTML = '';
}

function renderCounts() {
  const counts = Object.fromEntries(statuses.map(s => [s, 0]));
  for (const h of households.values()) counts[statusOf(h)]++;
  const filter = document.getElementById('board').dataset.filter;
  document.getElementById('board-filter').innerHTML = ['all', ...statuses].map(s =>
    `<button type="button" data-status="${s}" class="${s === filter ? 'active' : ''}">` +
    (s === 'all' ? '' : `<span class="dot st-${s}"></span>`) +
    `${esc(t(`status.${s}`))} <span class="n">${s === 'all' ? households.size : counts[s]}</span></button>`).join('');
  const shown = filter === 'all' ? households.size : counts[filter];
  document.getElementById('board-count').textContent = t('board.count', { shown, n: households.size });
}

export function wireBoard(openHousehold) {
  document.getElementById('board').addEventListener('click', event => {
    const tile = event.target.closest('.tile');
    if (tile) openHousehold(tile.dataset.id);
  });
  document.getElementById('board-filter').addEventListener('click', event => {
    const button = event.target.closest('button[data-status]');
    if (!button) return;
    document.getElementById('board').dataset.filter = button.dataset.status;
    renderCounts();
  });
  document.getElementById('board-community').addEventListener('change', event => {
    location.hash = `#/board/${encodeURIComponent(event.target.value)}`;
  });
  onLangChange(() => { if (households.size > 0) renderCounts(); });
  onAlertChange(alert => scheduleRefresh(alert.household));
}

// Alert changes come in bursts (an SOS pressed again, a storm of offline devices): each
// household's tile is re-read once per burst.
const dirty = new Set();
let timer = 0;
function scheduleRefresh(id) {
  if (!households.has(id)) return;
  dirty.add(id);
  timer ||= setTimeout(refreshDirty, 150);
}

async function refreshDirty() {
  timer = 0;
  const ids = [...dirty];
  dirty.clear();
  await Promise.all(ids.map(refreshTile));
  renderCounts();
}

export async function refreshTile(id) {
  if (!households.has(id)) return;
  try {
    const entry = (await api(`/api/households/${encodeURIComponent(id)}`)).household;
    households.set(id, entry);
    const tile = document.querySelector(`#board .tile[data-id="${CSS.escape(id)}"]`);
    if (tile) tile.className = `tile st-${statusOf(entry)}`;
  } catch {
    // The tile keeps its last known state; the next change or a reload corrects it.
  }
}
