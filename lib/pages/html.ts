import { createHash } from 'node:crypto';

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
input[type=text]{font-size:1rem;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #b8c0cc;border-radius:8px}
input.code-input{font:600 1.5rem ui-monospace,Menlo,monospace;letter-spacing:.1em;text-transform:uppercase}
button{font-size:1rem;padding:.6rem 1.4rem;border-radius:8px;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1d2330;border-color:#b8c0cc}
.actions{display:flex;gap:.8rem;margin-top:1.5rem}
.error{background:#fdecec;color:#8a1c1c;border-radius:8px;padding:.6rem .8rem}
.meta{color:#5b6475;font-size:.9rem}
ul.scopes{padding-left:1.2rem}
ul.scopes code{font-weight:600}
main.wide{max-width:52rem}
table{width:100%;border-collapse:collapse;font-size:.9rem;margin-top:1rem}
th,td{text-align:left;padding:.45rem .3rem;border-bottom:1px solid #e3e6eb;vertical-align:top}
label.scope{display:block;margin:.35rem 0}
select{font-size:1rem;padding:.3rem}
.token{font:600 1rem ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;background:#eef1f6;border-radius:8px;padding:.7rem}
.notice{background:#ecf7ee;color:#1e5a2a;border-radius:8px;padding:.6rem .8rem}
`;

/** The CSP allows exactly this stylesheet, by hash, and no script at all. */
const STYLE_HASH = createHash('sha256').update(STYLESHEET).digest('base64');

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** A complete page around already-escaped body HTML; `wide` for pages with tables. */
export function layout(title: string, bodyHtml: string, wide = false): string {
  return `<!doctype html>
<html lang="en">
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

/** A scope as a user reads it on an approval page. */
export interface ScopeDescription {
  name: string;
  description: string;
}

/** The `<ul>` of what an app asks for, one scope and its description a line. */
export function scopeListHtml(scopes: ScopeDescription[]): string {
  const items = scopes.map((scope) => `<li><code>${escapeHtml(scope.name)}</code>: ${escapeHtml(scope.description)}</li>`).join('\n');
  return `<ul class="scopes">\n${items || '<li>sign in as you (no other access)</li>'}\n</ul>`;
}

/**
 * The form of every approval page: the fields that say what is decided, the CSRF token, and the
 * Approve / Deny buttons (`action=approve|deny`). A click is always needed; nothing approves by link.
 */
export function decisionForm(action: string, fields: Record<string, string>, csrfToken: string): string {
  const hidden = Object.entries({ ...fields, csrf_token: csrfToken })
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<form method="post" action="${escapeHtml(action)}">
${hidden}
<div class="actions">
<button type="submit" name="action" value="approve">Approve</button>
<button type="submit" name="action" value="deny" class="secondary">Deny</button>
</div>
</form>`;
}
