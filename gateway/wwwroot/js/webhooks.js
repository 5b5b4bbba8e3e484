// Admins see how the webhooks are doing (GET /api/webhooks): what waits to be delivered, what
// was given up, and the last error, so a receiver that is down is noticed before it matters.
import { api } from './api.js';
import { t, onLangChange } from './i18n.js';
import { esc, show } from './dom.js';

const RefreshEvery = 15_000;
let timer = null;
let status = [];

export function startWebhooks(me) {
  stopWebhooks();
  if (me.role !== 'admin') return;
  refresh();
  timer = setInterval(refresh, RefreshEvery);
}

export function stopWebhooks() {
  clearInterval(timer);
  timer = null;
  status = [];
  show('webhooks', false);
}

async function refresh() {
  try {
    status = await api('/api/webhooks');
  } catch {
    status = [];
  }
  render();
}

function render() {
  const element = document.getElementById('webhooks');
  if (status.length === 0) {
    show('webhooks', false);
    return;
  }
  element.innerHTML = status.map(w => {
    const trouble = w.givenUp > 0 || w.pending > 0 && w.lastError;
    return `<span class="webhook${trouble ? ' trouble' : ''}" data-webhook="${esc(w.name)}">${esc(t('webhooks.line', {
      name: w.name, pending: w.pending, delivered: w.delivered, givenUp: w.givenUp,
    }))}${w.lastError ? ` · ${esc(t('webhooks.lastError'))} ${esc(w.lastError)}` : ''}</span>`;
  }).join('');
  show('webhooks', true);
}

onLangChange(render);
