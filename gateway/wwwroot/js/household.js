// One household: its status, devices and their health, open alerts (acknowledge, resolve),
// away mode, and a timeline chart of its door, light and motion events and alerts (uPlot).
import { api, serverNow } from './api.js';
import { t, formatTime, onLangChange, currentLang } from './i18n.js';
import { esc, show, showError } from './dom.js';
import { alertRow, onAlertChange, wireAlertActions } from './alerts.js';
import { statusOf } from './board.js';

let current = null; // the household id on screen
let detail = null;
let timeline = null;
let chart = null;

export async function showHousehold(id) {
  if (current !== id) {
    current = id;
    detail = null;
    timeline = null;
    document.getElementById('household-title').textContent = id;
    for (const part of ['household-summary', 'household-devices', 'household-alerts']) document.getElementById(part).innerHTML = '';
    destroyChart();
  }
  await Promise.all([loadDetail(), loadTimeline()]);
}

export function leaveHousehold() {
  current = null;
  destroyChart();
}

async function loadDetail() {
  const id = current;
  try {
    const answer = await api(`/api/households/${encodeURIComponent(id)}`);
    if (id !== current) return;
    detail = answer;
    show('household-error', false);
    renderDetail();
  } catch (e) {
    if (id === current) showError('household-error', e);
  }
}

function renderDetail() {
  if (!detail) return;
  // docs/api.md: {"household": <the board entry>, "devices": [...], "alerts": [...]}.
  const h = detail.household;
  const alerts = detail.alerts ?? [];
  const status = statusOf(h);
  const badge = document.getElementById('household-status');
  badge.className = `badge st-${status}`;
  badge.textContent = t(`status.${status}`);
  const facts = [
    ['fact.community', h.community], ['fact.grid', h.grid], ['fact.risk', t(`risk.${h.risk}`)],
    ['fact.litToday', h.litToday ? t('yes') : t('no')], ['fact.lastActivity', formatTime(h.lastActivity)],
    ['fact.openAlerts', String(h.openAlerts)], ['fact.deviceTrouble', String(h.deviceTrouble)],
  ];
  document.getElementById('household-summary').innerHTML =
    facts.map(([key, value]) => `<dt>${esc(t(key))}</dt><dd>${esc(value)}</dd>`).join('');
  document.getElementById('household-devices').innerHTML = (detail.devices ?? []).map(device => {
    const health = device.offline ? 'offline' : device.lowBattery ? 'lowBattery' : 'ok';
    const now = device.kind === 'door' || device.kind === 'light' ? t(`now.${device.kind}.${device.on ? 'on' : 'off'}`) : '—';
    return `<tr><td>${esc(device.id)}</td><td>${esc(t(`device.${device.kind}`))}</td><td>${esc(formatTime(device.lastHeard))}</td>
      <td>${esc(now)}</td><td class="${health === 'ok' ? '' : 'bad'}">${esc(t(`health.${health}`))}</td></tr>`;
  }).join('');
  document.getElementById('household-alerts').innerHTML = alerts.length
    ? alerts.map(alertRow).join('')
    : `<tr><td class="muted">${esc(t('household.noAlerts'))}</td></tr>`;
  document.getElementById('away-now').textContent = !h.away ? t('household.notAway')
    : h.awayUntil ? t('household.awayTill', { until: formatTime(h.awayUntil) }) : t('household.awayOpen');
  document.getElementById('away-clear').disabled = !h.away;
}

async function loadTimeline() {
  const id = current;
  const hours = Number(document.getElementById('timeline-range').value);
  const to = new Date(serverNow());
  const from = new Date(to.getTime() - hours * 3600_000);
  try {
    const answer = await api(`/api/households/${encodeURIComponent(id)}/timeline?from=${from.toISOString()}&to=${to.toISOString()}`);
    if (id !== current) return;
    timeline = { points: pointsOf(answer), from, to };
    show('timeline-error', false);
    drawChart();
  } catch (e) {
    if (id === current) showError('timeline-error', e);
  }
}

/** The timeline's points in time order, telemetry and alerts together (docs/api.md). */
function pointsOf(answer) {
  if (Array.isArray(answer)) return answer;
  if (Array.isArray(answer?.points)) return answer.points;
  return [...(answer?.telemetry ?? []), ...(answer?.alerts ?? [])].sort((a, b) => (a.time < b.time ? -1 : 1));
}

const isAlertPoint = p => p.measurement === 'alert' || p.type === 'alert' || 'state' in p || 'severity' in p;

// The chart's rows, bottom to top: what happened in the home, then the alerts about it.
const rows = [
  { key: 'door', label: () => t('device.door'), color: '#3a6fd8', match: p => p.kind === 'door' },
  { key: 'light', label: () => t('device.light'), color: '#e0a800', match: p => p.kind === 'light' },
  { key: 'motion', label: () => t('device.motion'), color: '#2e9d50', match: p => p.kind === 'motion' },
  { key: 'call', label: () => t('timeline.call'), color: '#8a4fc7', match: p => p.kind === 'sos' || p.kind === 'fall' },
  { key: 'alert', label: () => t('timeline.alert'), color: '#c8102e', match: () => false },
];

function drawChart() {
  destroyChart();
  const container = document.getElementById('timeline');
  container.innerHTML = '';
  const points = timeline.points;
  const times = [...new Set(points.map(p => Math.floor(Date.parse(p.time) / 1000)))].sort((a, b) => a - b);
  const index = new Map(times.map((time, i) => [time, i]));
  const series = rows.map(() => times.map(() => null));
  let shown = 0;
  for (const p of points) {
    const row = isAlertPoint(p) ? rows.length - 1 : rows.findIndex(r => r.match(p));
    if (row < 0) continue; // heartbeats
    series[row][index.get(Math.floor(Date.parse(p.time) / 1000))] = row + 1;
    shown++;
  }
  document.getElementById('timeline-count').textContent = t('timeline.count', { n: shown });
  const options = {
    width: Math.max(320, container.clientWidth),
    height: 260,
    scales: {
      x: { time: true, range: () => [timeline.from.getTime() / 1000, timeline.to.getTime() / 1000] },
      y: { range: [0.5, rows.length + 0.5] },
    },
    axes: [
      { values: (_, splits) => splits.map(axisTime) },
      { splits: () => rows.map((_, i) => i + 1), values: (_, splits) => splits.map(v => rows[v - 1]?.label() ?? ''), size: 110 },
    ],
    series: [
      {},
      ...rows.map(r => ({
        label: r.label(), stroke: r.color, fill: r.color, width: 0, paths: () => null,
        points: { show: true, size: 10, fill: r.color, stroke: r.color },
      })),
    ],
  };
  chart = new uPlot(options, [times, ...series], container);
}

// Hours and minutes in the reader's language; the date too when the range spans days.
function axisTime(seconds) {
  const days = (timeline.to - timeline.from) > 36 * 3600_000;
  return new Date(seconds * 1000).toLocaleString(currentLang(), days
    ? { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function destroyChart() {
  chart?.destroy();
  chart = null;
}

export function wireHousehold() {
  document.getElementById('timeline-range').addEventListener('change', () => current && loadTimeline());
  wireAlertActions(document.getElementById('household-alerts'), () => current && loadDetail());
  document.getElementById('away-form').addEventListener('submit', async event => {
    event.preventDefault();
    const until = document.getElementById('away-until').value;
    await changeAway('POST', until ? { until: new Date(until).toISOString() } : undefined);
  });
  document.getElementById('away-clear').addEventListener('click', () => changeAway('DELETE'));
  onAlertChange(alert => { if (alert.household === current) loadDetail(); });
  onLangChange(() => { if (current) { renderDetail(); if (timeline) drawChart(); } });
  addEventListener('resize', () => chart?.setSize({ width: Math.max(320, document.getElementById('timeline').clientWidth), height: 260 }));
}

async function changeAway(method, body) {
  try {
    await api(`/api/households/${encodeURIComponent(current)}/away`, { method, body });
    await loadDetail();
  } catch (e) {
    showError('household-error', e);
  }
}
