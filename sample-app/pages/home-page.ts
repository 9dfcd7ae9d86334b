import { escapeHtml, htmlPage } from './html';

/** The start page: who is signed in, and where to go next. */
export function renderHomePage(user: { name: string } | null, verificationPath: string): string {
  const body =
    user === null
      ? `<p>You are not signed in.</p>
<p><a href="/login">Sign in</a></p>`
      : `<p>Signed in as <strong>${escapeHtml(user.name)}</strong>.</p>
<p><a href="${escapeHtml(verificationPath)}">Approve a device</a></p>
<p><a href="/settings/tokens">API tokens</a></p>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`;
  return htmlPage('Sample app', `<h1>Sample app</h1>\n${body}`);
}
