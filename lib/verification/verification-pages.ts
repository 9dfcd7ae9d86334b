import { Injectable } from '@nestjs/common';
import { decisionForm, escapeHtml as e, layout, scopeListHtml, ScopeDescription } from '../pages/html';

export interface EnterCodePage {
  action: string;
  userName: string;
  error?: string;
}

export interface ConfirmPage {
  action: string;
  userName: string;
  clientName: string;
  scopes: ScopeDescription[];
  userCode: string;
  requestedAgo: string;
  requestIp: string | null;
  requestUserAgent: string | null;
  csrfToken: string;
}

/**
 * The HTML of the verification flow. Every interpolated value is escaped here. A host can restyle
 * the pages by providing its own subclass in place of this provider.
 */
@Injectable()
export class VerificationPages {
  enterCode(page: EnterCodePage): string {
    return layout(
      'Connect a device',
      `<h1>Connect a device</h1>
<p class="meta">Signed in as ${e(page.userName)}</p>
${page.error ? `<p class="error" role="alert">${e(page.error)}</p>` : ''}
<form method="get" action="${e(page.action)}">
<label for="user_code">Enter the code shown on your device</label>
<p><input type="text" class="code-input" id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" required autofocus></p>
<div class="actions"><button type="submit">Continue</button></div>
</form>`,
    );
  }

  confirm(page: ConfirmPage): string {
    return layout(
      `Allow ${page.clientName}?`,
      `<h1>Allow <strong>${e(page.clientName)}</strong> to access your account?</h1>
<p class="meta">Signed in as ${e(page.userName)}</p>
<p>Check that your device shows this code:</p>
<p class="code">${e(page.userCode)}</p>
<p>It asks to:</p>
${scopeListHtml(page.scopes)}
<p class="meta">Requested ${e(page.requestedAgo)} from ${e(page.requestIp ?? 'an unknown address')}${page.requestUserAgent ? ` using ${e(page.requestUserAgent)}` : ''}.
If you did not start this, deny it.</p>
${decisionForm(page.action, { user_code: page.userCode }, page.csrfToken)}`,
    );
  }

  result(approved: boolean, clientName: string): string {
    return approved
      ? layout('Device connected', `<h1>Device connected</h1><p><strong>${e(clientName)}</strong> can now access your account. Return to your terminal; it will continue by itself.</p>`)
      : layout('Request denied', `<h1>Request denied</h1><p><strong>${e(clientName)}</strong> was not given access. You can return to your terminal and close this page.</p>`);
  }

  /** The personal-app rule, as the user meets it on any approval page. */
  wrongAccount(clientName: string): string {
    return this.message(
      'Wrong account',
      `${clientName} is a personal app bound to another account. Only that account can approve it: sign in as its owner and try again.`,
    );
  }

  message(title: string, text: string): string {
    return layout(title, `<h1>${e(title)}</h1><p>${e(text)}</p>`);
  }
}

/** "just now", "3 minutes ago": how long ago the device asked. */
export function describeAge(milliseconds: number): string {
  const minutes = Math.floor(milliseconds / 60_000);
  if (minutes < 1) return 'just now';
  return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
}
