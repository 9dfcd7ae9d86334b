import { defaultPageLayout, escapeHtml as e } from '../../lib';
import type { SamplePageMessages } from './page-messages';

/** The start page: who is signed in, and where to go next. */
export function renderHomePage(m: SamplePageMessages, user: { name: string } | null, verificationPath: string): string {
  const body =
    user === null
      ? `<p>${e(m['home.signedOut'])}</p>
<p><a href="/login">${e(m['home.signIn'])}</a></p>`
      : `<p>${e(m['home.signedInAs'])} <strong>${e(user.name)}</strong>.</p>
<p><a href="${e(verificationPath)}">${e(m['home.approveDevice'])}</a></p>
<p><a href="/settings/tokens">${e(m['home.apiTokens'])}</a></p>
<form method="post" action="/logout"><div class="actions"><button type="submit" class="secondary">${e(m['home.signOut'])}</button></div></form>`;
  return defaultPageLayout(m.language, m['home.title'], `<h1>${e(m['home.title'])}</h1>\n${body}`);
}
