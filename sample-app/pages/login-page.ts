import { escapeHtml, htmlPage } from './html';

export interface LoginPageModel {
  /** Where to go after signing in (already checked to be a local path). */
  next: string;
  username?: string;
  error?: string;
}

/** The sign-in form. */
export function renderLoginPage(model: LoginPageModel): string {
  const error = model.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`;
  return htmlPage(
    'Sign in',
    `<h1>Sign in</h1>
${error}
<form method="post" action="/login">
  <input type="hidden" name="next" value="${escapeHtml(model.next)}">
  <label>Username <input name="username" autocomplete="username" required autofocus value="${escapeHtml(model.username ?? '')}"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`,
  );
}
