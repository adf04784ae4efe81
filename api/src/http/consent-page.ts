/**
 * The page the admin consent popup lands on. It reports the outcome, tells the tab through
 * `window.opener.postMessage` (same origin only) and closes itself.
 */
export interface ConsentPageModel {
  outcome: 'granted' | 'denied' | 'error';
  title: string;
  message: string;
  code?: string;
  missingPermissions?: string[];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function consentPage(model: ConsentPageModel, nonce: string): string {
  const message = { type: 'rapport.consent', outcome: model.outcome, code: model.code ?? null, message: model.message, missingPermissions: model.missingPermissions ?? [] };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport: ${escapeHtml(model.title)}</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;margin:2rem;line-height:1.5}h1{font-size:1.25rem}</style>
</head>
<body>
<main>
<h1 data-outcome="${model.outcome}">${escapeHtml(model.title)}</h1>
<p>${escapeHtml(model.message)}</p>
${model.missingPermissions && model.missingPermissions.length > 0 ? `<p>Missing permissions: ${model.missingPermissions.map(escapeHtml).join(', ')}</p>` : ''}
<p>You can close this window.</p>
</main>
<script nonce="${escapeHtml(nonce)}">
(function () {
  var message = ${scriptJson(message)};
  try { if (window.opener) window.opener.postMessage(message, window.location.origin); } catch (e) { /* the opener is gone */ }
  setTimeout(function () { window.close(); }, ${model.outcome === 'granted' ? 1500 : 8000});
})();
</script>
</body>
</html>`;
}
