import { createHash } from 'node:crypto';
import type { DecisionForm, ScopeDescription } from './device-auth-pages';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

const STYLESHEET = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f5f6f8;color:#1d2330;margin:0}
main{max-width:30rem;margin:4rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.4rem;margin-top:0}
.code{font:600 2rem ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.15em;text-align:center;background:#eef1f6;border-radius:8px;padding:.6rem}
input[type=text],input[type=password]{font-size:1rem;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #b8c0cc;border-radius:8px}
input.code-input{font:600 1.5rem ui-monospace,Menlo,monospace;letter-spacing:.1em;text-transform:uppercase}
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:8px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d2330;border-color:#b8c0cc}
.actions{display:flex;gap:.8rem;margin-top:1.5rem}
.error{background:#fdecec;color:#8a1c1c;border-radius:8px;padding:.6rem .8rem}
.meta{color:#5b6475;font-size:.9rem}
ul.scopes{padding-left:1.2rem}
ul.scopes code{font-weight:600}
main.wide{max-width:52rem}
.table-scroll{overflow-x:auto}
table{width:100%;border-collapse:collapse;font-size:.9rem;margin-top:1rem}
th,td{text-align:left;padding:.45rem .3rem;border-bottom:1px solid #e3e6eb;vertical-align:top}
label.scope{display:block;margin:.35rem 0}
select{font-size:1rem;padding:.3rem}
.token{font:600 1rem ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;background:#eef1f6;border-radius:8px;padding:.7rem}
.notice{background:#ecf7ee;color:#1e5a2a;border-radius:8px;padding:.6rem .8rem}
.caution{background:#fff5db;color:#5c4100;border-radius:8px;padding:.6rem .8rem}
@media (max-width:30rem){main{margin:0;border-radius:0;padding:1.2rem}}
`;

/** The policy always allows this stylesheet, by hash, so every page the default look renders is styled. */
export const DEFAULT_STYLESHEET_SOURCE = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

/**
 * A complete page around already-escaped body HTML; `wide` for pages with tables. On a phone the
 * page takes the whole width and a table scrolls inside its `.table-scroll` box, never the page.
 */
export function layout(language: string, title: string, bodyHtml: string, wide = false): string {
  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLESHEET}</style>
</head>
<body><main${wide ? ' class="wide"' : ''}>
${bodyHtml}
</main></body>
</html>`;
}

/** Placeholders that survive escaping and cannot come from a message or a user. */
const mark = (index: number): string => `\uE000${index}\uE001`;

/**
 * A message as HTML with some of its values in markup (an app's name in bold): the message is
 * called with placeholders, escaped, and each placeholder replaced by its value, escaped and wrapped.
 */
export function messageHtml<Values extends Record<string, string>>(
  message: (values: Values) => string,
  values: Values,
  markup: Partial<Record<keyof Values, (escapedValue: string) => string>>,
): string {
  const names = Object.keys(values) as (keyof Values & string)[];
  const placeholders = Object.fromEntries(names.map((name, index) => [name, markup[name] ? mark(index) : values[name]])) as Values;
  let html = escapeHtml(message(placeholders));
  names.forEach((name, index) => {
    const wrap = markup[name];
    if (wrap) html = html.split(mark(index)).join(wrap(escapeHtml(values[name])));
  });
  return html;
}

/** The `<ul>` of what an app asks for, one scope and its description a line. */
export function scopeListHtml(scopes: ScopeDescription[], noScopes: string): string {
  const items = scopes.map((scope) => `<li><code>${escapeHtml(scope.name)}</code>: ${escapeHtml(scope.description)}</li>`).join('\n');
  return `<ul class="scopes">\n${items || `<li>${escapeHtml(noScopes)}</li>`}\n</ul>`;
}

/** The form of every approval page. A click is always needed; nothing approves by link. */
export function decisionFormHtml(form: DecisionForm, approve: string, deny: string): string {
  const hidden = Object.entries(form.hiddenFields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<form method="post" action="${escapeHtml(form.action)}">
${hidden}
<div class="actions">
<button type="submit" name="action" value="approve">${escapeHtml(approve)}</button>
<button type="submit" name="action" value="deny" class="secondary">${escapeHtml(deny)}</button>
</div>
</form>`;
}
