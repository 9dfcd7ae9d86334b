import { Injectable } from '@nestjs/common';
import { escapeHtml as e, layout } from '../pages/html';
import type { PersonalAccessTokenView } from './personal-access-tokens.service';

export interface TokensPage {
  action: string;
  userName: string;
  csrfToken: string;
  scopes: { name: string; description: string }[];
  /** Lifetimes offered, in days; `null` for "no expiry". */
  expiryChoices: (number | null)[];
  defaultExpiryDays: number;
  tokens: PersonalAccessTokenView[];
  /** The token just created: shown once, here, and never again. */
  created?: { name: string; token: string };
  error?: string;
  notice?: string;
}

const day = (iso: string | null): string => (iso === null ? '—' : iso.slice(0, 10));

/** The "API tokens" page. Every interpolated value is escaped here; a host may provide a subclass to restyle it. */
@Injectable()
export class PersonalAccessTokensPage {
  render(page: TokensPage): string {
    return layout('API tokens', [this.header(page), this.created(page), this.createForm(page), this.list(page)].join('\n'), true);
  }

  private header(page: TokensPage): string {
    return `<h1>API tokens</h1>
<p class="meta">Signed in as ${e(page.userName)}. A token acts as you, with only the scopes you give it: use it as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
${page.error ? `<p class="error" role="alert">${e(page.error)}</p>` : ''}
${page.notice ? `<p class="notice" role="status">${e(page.notice)}</p>` : ''}`;
  }

  private created(page: TokensPage): string {
    if (!page.created) return '';
    return `<section>
<h2>Your new token “${e(page.created.name)}”</h2>
<p><strong>Copy it now.</strong> It will not be shown again; only a digest of it is kept.</p>
<p class="token" id="new-token">${e(page.created.token)}</p>
</section>`;
  }

  private createForm(page: TokensPage): string {
    const scopes = page.scopes
      .map((scope) => `<label class="scope"><input type="checkbox" name="scopes" value="${e(scope.name)}"> <code>${e(scope.name)}</code>: ${e(scope.description)}</label>`)
      .join('\n');
    const expiries = page.expiryChoices
      .map((days) => {
        const value = days === null ? 'never' : String(days);
        const label = days === null ? 'No expiry' : `${days} days`;
        return `<option value="${value}"${days === page.defaultExpiryDays ? ' selected' : ''}>${label}</option>`;
      })
      .join('');
    return `<section>
<h2>Create a token</h2>
<form method="post" action="${e(page.action)}">
<input type="hidden" name="csrf_token" value="${e(page.csrfToken)}">
<input type="hidden" name="action" value="create">
<p><label for="name">Name</label><br><input type="text" id="name" name="name" maxlength="100" required placeholder="e.g. deploy script"></p>
<fieldset><legend>Scopes</legend>
${scopes}
</fieldset>
<p><label for="expires_in_days">Expires in</label> <select id="expires_in_days" name="expires_in_days">${expiries}</select></p>
<div class="actions"><button type="submit">Create token</button></div>
</form>
</section>`;
  }

  private list(page: TokensPage): string {
    if (page.tokens.length === 0) return '<section><h2>Your tokens</h2><p>You have no tokens yet.</p></section>';
    const rows = page.tokens.map((token) => {
      const revoke =
        token.status === 'active'
          ? `<form method="post" action="${e(page.action)}"><input type="hidden" name="csrf_token" value="${e(page.csrfToken)}"><input type="hidden" name="action" value="revoke"><input type="hidden" name="token_id" value="${e(token.id)}"><button type="submit" class="secondary">Revoke</button></form>`
          : e(token.status);
      const lastUsed = token.lastUsedAt === null ? 'never' : `${day(token.lastUsedAt)}${token.lastUsedIp ? ` from ${e(token.lastUsedIp)}` : ''}`;
      return `<tr><td>${e(token.name)}<br><code class="meta">${e(token.hint)}</code></td><td>${token.scopes.map((scope) => `<code>${e(scope)}</code>`).join(' ')}</td><td>${day(token.createdAt)}</td><td>${lastUsed}</td><td>${token.expiresAt === null ? 'never' : day(token.expiresAt)}</td><td>${revoke}</td></tr>`;
    });
    return `<section>
<h2>Your tokens</h2>
<table>
<thead><tr><th>Name</th><th>Scopes</th><th>Created</th><th>Last used</th><th>Expires</th><th></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</section>`;
  }
}
