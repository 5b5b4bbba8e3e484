// The daily 亮灯 roll call: which households lit up in the evening window, which did not, and
// what became of each lights-not-on alert.
import { api } from './api.js';
import { t, formatTime, onLangChange } from './i18n.js';
import { esc, show, showError } from './dom.js';

let rows = [];
let loading = 0;

export async function showReport() {
  const date = document.getElementById('report-date').value;
  const community = document.getElementById('report-community').value;
  const query = new URLSearchParams();
  if (date) query.set('date', date);
  if (community) query.set('community', community);
  const ticket = ++loading;
  try {
    const answer = await api(`/api/reports/lights${query.size ? `?${query}` : ''}`);
    if (ticket !== loading) return;
    rows = answer.households;
    if (!date && answer?.date) document.getElementById('report-date').value = answer.date;
    show('report-error', false);
    render();
  } catch (e) {
    if (ticket === loading) showError('report-error', e);
  }
}

function render() {
  let lit = 0;
  document.getElementById('report-body').innerHTML = rows.map(row => {
    // The report's shape is docs/api.md's: an evening still under way is pending, not unlit.
    const isLit = row.lit;
    if (isLit) lit++;
    const alert = row.alert;
    const outcome = alert?.outcome ? t(`outcome.${alert.outcome}`) : '';
    const id = row.household;
    const badge = isLit ? ['lit', 'report.litYes'] : row.pending ? ['away', 'report.pending'] : ['unlit', 'report.litNo'];
    return `<tr data-household="${esc(id)}"><td><a href="#/household/${encodeURIComponent(id)}">${esc(id)}</a></td>
      <td>${esc(row.community)} / ${esc(row.grid)}</td>
      <td><span class="badge st-${badge[0]}">${esc(t(badge[1]))}</span></td>
      <td>${isLit ? esc(formatTime(row.litAt)) : ''}</td>
      <td>${alert ? `${esc(t(`state.${alert.state}`))} · ${esc(t(`level.${alert.level}`))}` : '—'}</td>
      <td>${esc(outcome)}${alert?.resolvedBy ? ` · ${esc(alert.resolvedBy)}` : ''}${alert?.note ? ` · ${esc(alert.note)}` : ''}</td></tr>`;
  }).join('');
  document.getElementById('report-count').textContent = t('report.count', { lit, n: rows.length });
}

export function wireReport() {
  document.getElementById('report-date').addEventListener('change', showReport);
  document.getElementById('report-community').addEventListener('change', showReport);
  onLangChange(render);
}
