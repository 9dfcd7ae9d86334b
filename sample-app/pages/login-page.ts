import { defaultPageLayout, escapeHtml as e } from '../../lib';
import type { SamplePageMessages } from './page-messages';

export interface LoginPageModel {
  /** Where to go after signing in (already checked to be a local path). */
  next: string;
  /** The form's CSRF token, bound to this browser's pre-session cookie. */
  csrfToken: string;
  username?: string;
  error?: string;
}

/** The sign-in form, in the device-auth pages' look: users reach it from them and return to them. */
export function renderLoginPage(m: SamplePageMessages, model: LoginPageModel): string {
  const error = model.error === undefined ? '' : `<p class="error" role="alert">${e(model.error)}</p>\n`;
  return defaultPageLayout(
    m.language,
    m['login.title'],
    `<h1>${e(m['login.title'])}</h1>
${error}<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="${e(model.csrfToken)}">
<input type="hidden" name="next" value="${e(model.next)}">
<label for="username">${e(m['login.username'])}</label>
<p><input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${e(model.username ?? '')}"></p>
<label for="password">${e(m['login.password'])}</label>
<p><input type="password" id="password" name="password" autocomplete="current-password" required></p>
<div class="actions"><button type="submit">${e(m['login.submit'])}</button></div>
</form>`,
  );
}
