// Small helpers for building the page from strings: every value from the API is escaped.
const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = value => String(value ?? '').replace(/[&<>"']/g, c => escapes[c]);

export function show(id, visible) {
  document.getElementById(id).hidden = !visible;
}

/** Shows an API error's message (docs/api.md: a message a person can act on). */
export function showError(id, error) {
  const element = document.getElementById(id);
  element.textContent = error.message;
  element.hidden = false;
}
