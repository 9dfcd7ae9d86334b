import { createHash } from 'node:crypto';
import type { DecisionForm, ScopeDescription } from './device-auth-pages';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character]);
}

/*
 * One type scale (1rem body, h1 1.75rem, h2 1.25rem); controls take the page's font; buttons,
 * fields and links styled as buttons are at least 44 px tall (WCAG 2.5.5); every focusable element
 * shows a 3 px ring on keyboard focus; control borders are #6b7280, 4.8:1 against white (WCAG 1.4.11
 * asks 3:1). A table of class `cards` becomes one card per row below 40rem, each cell labelled by its
 * `data-label`, so a phone never scrolls sideways.
 */
const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f5f6f8;color:#1d2330;margin:0;overflow-wrap:break-word}
main{max-width:32rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px rgba(0,0,0,.08)}
main.wide{max-width:56rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .75rem}
p{margin:.75rem 0}
a{color:#1d4ed8}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
button,input,select,textarea{font:inherit;color:inherit;margin:0}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
label{font-weight:600}
input[type=text],input[type=password],select{display:block;width:100%;min-height:2.75rem;padding:.5rem .75rem;border:1px solid #6b7280;border-radius:8px;background:#fff}
select{width:auto;max-width:100%}
input[type=checkbox]{width:1.25rem;height:1.25rem;accent-color:#1d4ed8}
input.code-input{font:600 1.5rem ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.1em;text-transform:uppercase}
button,.button{display:inline-flex;align-items:center;justify-content:center;min-height:2.75rem;padding:.5rem 1.25rem;border-radius:8px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;font-weight:600;line-height:1.25;text-align:center;text-decoration:none;cursor:pointer}
button.secondary,.button.secondary{background:#fff;color:#1d2330;border-color:#6b7280}
button.danger{background:#b42318;border-color:#b42318}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}
.code{font:600 2rem ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.15em;text-align:center;background:#eef1f6;border-radius:8px;padding:.6rem}
.error,.notice,.caution{border-radius:8px;padding:.75rem 1rem}
.error{background:#fdecec;color:#8a1c1c}
.notice{background:#ecf7ee;color:#1e5a2a}
.caution{background:#fff5db;color:#5c4100;border:1px solid #8a6d00}
.caution h2{margin-top:0}
.meta{color:#5b6475;font-size:.9rem}
ul.scopes{padding-left:1.2rem}
ul.scopes code{font-weight:600}
fieldset{border:0;padding:0;margin:1.25rem 0}
legend{font-weight:600;padding:0}
label.scope{display:block;position:relative;min-height:2.75rem;padding:.6rem 0 .6rem 2rem;font-weight:400}
label.scope input{position:absolute;left:0;top:.75rem;margin:0}
.field{margin:1.25rem 0}
.field label{display:block;margin-bottom:.35rem}
.token-box{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
.token{flex:1 1 16rem;margin:0;font:600 1rem ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;user-select:all;background:#fff;border:1px solid #8a6d00;border-radius:8px;padding:.6rem .75rem;color:#1d2330}
.table-scroll{overflow-x:auto}
table{width:100%;border-collapse:collapse;font-size:.9rem;margin-top:1rem}
th,td{text-align:left;padding:.5rem .4rem;border-bottom:1px solid #e3e6eb;vertical-align:top}
td form{margin:0}
td.name code{font-weight:400}
td.action{color:#5b6475}
dl.details{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem}
dl.details dt{color:#5b6475}
dl.details dd{margin:0}
@media (max-width:40rem){
body{background:#fff}
main{margin:0;border-radius:0;padding:1.25rem;box-shadow:none}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block}
table.cards thead{display:none}
table.cards tr{border:1px solid #e3e6eb;border-radius:8px;padding:.5rem .75rem;margin-bottom:.75rem}
table.cards td{display:grid;grid-template-columns:8.5rem 1fr;gap:.5rem;border:0;padding:.3rem 0;overflow-wrap:anywhere}
table.cards td::before{content:attr(data-label);color:#5b6475;overflow-wrap:normal}
table.cards td.name{display:block;font-weight:600}
table.cards td.name::before,table.cards td.action::before{content:none}
table.cards td.action{display:block;padding-top:.5rem}
dl.details{grid-template-columns:1fr}
dl.details dd{margin-bottom:.5rem}
}
`;

/** The policy always allows this stylesheet, by hash, so every page the default look renders is styled. */
export const DEFAULT_STYLESHEET_SOURCE = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

/**
 * The one script the built-in pages run: it shows each `button[data-copy]` (hidden without script),
 * which copies the text of the element whose id it names and then says its `data-copied`. Where the
 * clipboard API is missing (a plain-http origin) it selects the text and asks the browser to copy.
 */
const COPY_SCRIPT = `
for (const button of document.querySelectorAll('button[data-copy]')) {
  const source = document.getElementById(button.dataset.copy);
  if (!source) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const text = source.textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      getSelection().selectAllChildren(source);
      if (!document.execCommand('copy')) return;
    }
    button.textContent = button.dataset.copied;
  });
}
`;

/** The policy allows the copy script by its hash, and no other script. */
export const COPY_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(COPY_SCRIPT).digest('base64')}'`;

/** The copy script, to place after the buttons it serves. */
export const COPY_SCRIPT_HTML = `<script>${COPY_SCRIPT}</script>`;

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
