import { Injectable } from '@nestjs/common';
import type {
  ConfirmView,
  ConsentView,
  DeviceAuthPages,
  EnterCodeView,
  MessageView,
  PageLink,
  PersonalAccessTokensView,
  ResultView,
  SignedInPageView,
  WrongAccountView,
} from './device-auth-pages';
import type { PersonalAccessTokenView } from './device-auth-pages';
import { COPY_SCRIPT_HTML, decisionFormHtml, escapeHtml as e, layout, messageHtml, scopeListHtml } from './html';

const strong = (html: string): string => `<strong>${html}</strong>`;
const code = (html: string): string => `<code>${html}</code>`;
const day = (iso: string): string => iso.slice(0, 10);

/** A time of day as this server's clock shows it, with its zone (`19:26 UTC`): the page cannot know the reader's zone without script. */
const clockTime = (epochMillis: number, language: string): string =>
  new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(epochMillis);

/** The headings of the token list, which also label a token's details on a phone and on the revoke question. */
type TokenField = 'tokens.list.name' | 'tokens.list.scopes' | 'tokens.list.created' | 'tokens.list.lastUsed' | 'tokens.list.expires';

/**
 * The built-in look of every page: one inline stylesheet, and one small script (the copy button
 * beside a new API token, which the page does without). Every interpolated value is
 * escaped here. A host restyles one page by extending this class (or delegating to an instance).
 */
@Injectable()
export class DefaultDeviceAuthPages implements DeviceAuthPages {
  enterCode(view: EnterCodeView): string {
    const m = view.messages;
    return layout(
      m.language,
      m['enterCode.title'],
      `<h1>${e(m['enterCode.title'])}</h1>
${this.signedInAs(view)}
${view.error ? `<p class="error" role="alert">${e(view.error)}</p>` : ''}
<form method="get" action="${e(view.action)}">
<label for="user_code">${e(m['enterCode.label'])}</label>
<p><input type="text" class="code-input" id="user_code" name="user_code"${view.userCode ? ` value="${e(view.userCode)}"` : ''} autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="20" required autofocus></p>
<div class="actions"><button type="submit">${e(m['enterCode.submit'])}</button></div>
</form>
${this.links(view.links)}`,
    );
  }

  confirm(view: ConfirmView): string {
    const m = view.messages;
    const requested = m['confirm.requested']({
      age: m['confirm.age']({ minutes: view.requestedMinutesAgo }),
      address: view.requestIp ?? m['confirm.unknownAddress'],
      userAgent: view.requestSoftware ?? undefined,
    });
    const expires = m['confirm.expires']({
      time: clockTime(view.expiresAt, m.language),
      minutes: Math.floor(view.expiresInSeconds / 60),
    });
    return this.approvalPage(
      view,
      `<p>${e(m['confirm.checkCode'])}</p>
<p class="code">${e(view.userCode)}</p>
<p>${e(m['confirm.asksTo'])}</p>
${scopeListHtml(view.scopes, m['confirm.noScopes'])}
<p class="meta">${e(requested)}
${e(expires)}
${e(m['confirm.ifNotYou'])}</p>`,
    );
  }

  consent(view: ConsentView): string {
    const m = view.messages;
    return this.approvalPage(
      view,
      `<p>${e(m['confirm.asksTo'])}</p>
${scopeListHtml(view.scopes, m['confirm.noScopes'])}
<p class="meta">${e(m['consent.returnTo']({ origin: view.returnTo }))}</p>`,
    );
  }

  result(view: ResultView): string {
    const m = view.messages;
    const [title, text] = view.decidedBefore
      ? view.approved
        ? [m['result.alreadyApproved.title'], m['result.alreadyApproved.text']]
        : [m['result.alreadyDenied.title'], m['result.alreadyDenied.text']]
      : view.approved
        ? [m['result.approved.title'], m['result.approved.text']]
        : [m['result.denied.title'], m['result.denied.text']];
    return layout(m.language, title, `<h1>${e(title)}</h1><p>${messageHtml(text, { appName: view.clientName }, { appName: strong })}</p>`);
  }

  wrongAccount(view: WrongAccountView): string {
    const m = view.messages;
    const title = m['wrongAccount.title'];
    const text = messageHtml(
      m['wrongAccount.text'],
      { appName: view.clientName, userName: view.userName },
      { appName: strong, userName: strong },
    );
    // A POST form, not a link: a link could be followed from another site to sign the user out.
    const signOut =
      view.signOutAction === undefined
        ? `<p>${e(m['wrongAccount.signOutHint'])}</p>`
        : `<form method="post" action="${e(view.signOutAction)}">
<div class="actions"><button type="submit">${e(m['wrongAccount.signOut'])}</button></div>
</form>`;
    return layout(
      m.language,
      title,
      `<h1>${e(title)}</h1>
<p>${text}</p>
${signOut}
${this.links(view.links)}`,
    );
  }

  message(view: MessageView): string {
    return layout(view.messages.language, view.title, `<h1>${e(view.title)}</h1><p>${e(view.text)}</p>\n${this.links(view.links)}`);
  }

  personalAccessTokens(view: PersonalAccessTokensView): string {
    const m = view.messages;
    if (view.revoking) return this.revokeQuestion(view, view.revoking);
    return layout(
      m.language,
      m['tokens.title'],
      [this.tokensHeader(view), this.createdToken(view), this.createTokenForm(view), this.tokenList(view)].join('\n'),
      true,
    );
  }

  /** The ways on from a page, one link a line. */
  private links(links: PageLink[] = []): string {
    return links.map((link) => `<p><a href="${e(link.href)}">${e(link.text)}</a></p>`).join('\n');
  }

  private signedInAs(view: SignedInPageView): string {
    return `<p class="meta">${e(view.messages['common.signedInAs']({ userName: view.userName }))}</p>`;
  }

  /**
   * The device confirm page and the consent page: the app in the heading, the user, a caution for
   * an app known only by its URL, the one API it asked for, then the Approve / Deny form.
   */
  private approvalPage(view: ConfirmView | ConsentView, detailsHtml: string): string {
    const m = view.messages;
    const identifiedByUrl =
      view.clientIdHost === undefined
        ? ''
        : `<p class="caution" role="note">${messageHtml(m['confirm.identifiedByUrl'], { host: view.clientIdHost }, { host: strong })}</p>
`;
    const resource =
      view.resource === undefined
        ? ''
        : `<p class="meta">${messageHtml(m['confirm.resource'], { resource: view.resource }, { resource: strong })}</p>
`;
    return layout(
      m.language,
      m['confirm.title']({ appName: view.clientName }),
      `<h1>${messageHtml(m['confirm.heading'], { appName: view.clientName }, { appName: strong })}</h1>
${this.signedInAs(view)}
${identifiedByUrl}${resource}${detailsHtml}
${decisionFormHtml(view.form, m['confirm.approve'], m['confirm.deny'])}`,
    );
  }

  private tokensHeader(view: PersonalAccessTokensView): string {
    const m = view.messages;
    return `<h1>${e(m['tokens.title'])}</h1>
<p class="meta">${messageHtml(m['tokens.intro'], { userName: view.userName, usage: 'Authorization: Bearer <token>' }, { usage: code })}</p>
${view.error ? `<p class="error" role="alert">${e(view.error)}</p>` : ''}
${view.notice ? `<p class="notice" role="status">${e(view.notice)}</p>` : ''}`;
  }

  /** The new token, once: in a caution box, selectable as text, with a copy button where script runs. */
  private createdToken(view: PersonalAccessTokensView): string {
    if (!view.created) return '';
    const m = view.messages;
    return `<section class="caution" aria-labelledby="new-token-heading">
<h2 id="new-token-heading">${e(m['tokens.created.heading']({ name: view.created.name }))}</h2>
<p><strong>${e(m['tokens.created.copyNow'])}</strong> ${e(m['tokens.created.shownOnce'])}</p>
<div class="token-box">
<p class="token" id="new-token">${e(view.created.token)}</p>
<button type="button" class="secondary" data-copy="new-token" data-copied="${e(m['tokens.created.copied'])}" aria-live="polite" hidden>${e(m['tokens.created.copy'])}</button>
</div>
</section>
${COPY_SCRIPT_HTML}`;
  }

  private createTokenForm(view: PersonalAccessTokensView): string {
    const m = view.messages;
    const typed = view.form;
    const scopes = view.scopes
      .map((scope) => {
        const checked = typed?.scopes.includes(scope.name) ? ' checked' : '';
        return `<label class="scope"><input type="checkbox" name="scopes" value="${e(scope.name)}"${checked}> <code>${e(scope.name)}</code>: ${e(scope.description)}</label>`;
      })
      .join('\n');
    const selectedValue = typed?.expiresInDays ?? String(view.defaultExpiryDays);
    const expiries = view.expiryChoices
      .map((days) => {
        const value = days === null ? 'never' : String(days);
        const label = days === null ? m['tokens.create.noExpiry'] : m['tokens.create.days']({ days });
        return `<option value="${value}"${value === selectedValue ? ' selected' : ''}>${e(label)}</option>`;
      })
      .join('');
    return `<section>
<h2>${e(m['tokens.create.heading'])}</h2>
<form method="post" action="${e(view.action)}">
<input type="hidden" name="csrf_token" value="${e(view.csrfToken)}">
<input type="hidden" name="action" value="create">
<p class="field"><label for="name">${e(m['tokens.create.name'])}</label><input type="text" id="name" name="name" maxlength="100" required placeholder="${e(m['tokens.create.namePlaceholder'])}" value="${e(typed?.name ?? '')}"></p>
<fieldset><legend>${e(m['tokens.create.scopes'])}</legend>
${scopes}
</fieldset>
<p class="field"><label for="expires_in_days">${e(m['tokens.create.expiresIn'])}</label><select id="expires_in_days" name="expires_in_days">${expiries}</select></p>
<div class="actions"><button type="submit">${e(m['tokens.create.submit'])}</button></div>
</form>
</section>`;
  }

  /** The list: a table on a wide screen, one card per token on a phone (`cards`), each cell labelled for that. */
  private tokenList(view: PersonalAccessTokensView): string {
    const m = view.messages;
    if (view.tokens.length === 0) return `<section><h2>${e(m['tokens.list.heading'])}</h2><p>${e(m['tokens.list.empty'])}</p></section>`;
    const label = (key: TokenField) => ` data-label="${e(m[key])}"`;
    const rows = view.tokens.map((token) => {
      const revoke =
        token.status === 'active'
          ? `<form method="get" action="${e(view.action)}"><input type="hidden" name="revoke" value="${e(token.id)}"><button type="submit" class="secondary">${e(m['tokens.list.revoke'])}</button></form>`
          : e(m[token.status === 'revoked' ? 'tokens.list.revoked' : 'tokens.list.expired']);
      return `<tr><td class="name">${e(token.name)}<br><code class="meta">${e(token.hint)}</code></td><td${label('tokens.list.scopes')}>${this.scopeCodes(token)}</td><td${label('tokens.list.created')}>${day(token.createdAt)}</td><td${label('tokens.list.lastUsed')}>${this.lastUsed(view, token)}</td><td${label('tokens.list.expires')}>${this.expires(view, token)}</td><td class="action">${revoke}</td></tr>`;
    });
    return `<section>
<h2>${e(m['tokens.list.heading'])}</h2>
<div class="table-scroll">
<table class="cards">
<thead><tr><th>${e(m['tokens.list.name'])}</th><th>${e(m['tokens.list.scopes'])}</th><th>${e(m['tokens.list.created'])}</th><th>${e(m['tokens.list.lastUsed'])}</th><th>${e(m['tokens.list.expires'])}</th><th></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
</section>`;
  }

  /** Asks before revoking: what the token is, what revoking it does, and Revoke or Cancel (a link back). */
  private revokeQuestion(view: PersonalAccessTokensView, token: PersonalAccessTokenView): string {
    const m = view.messages;
    const title = m['tokens.revoke.title']({ name: token.name });
    const detail = (key: TokenField, html: string) => `<dt>${e(m[key])}</dt><dd>${html}</dd>`;
    return layout(
      m.language,
      title,
      `<h1>${e(title)}</h1>
${this.signedInAs(view)}
<p>${e(m['tokens.revoke.text'])}</p>
<dl class="details">
${detail('tokens.list.name', `${e(token.name)} <code class="meta">${e(token.hint)}</code>`)}
${detail('tokens.list.scopes', this.scopeCodes(token))}
${detail('tokens.list.created', day(token.createdAt))}
${detail('tokens.list.lastUsed', this.lastUsed(view, token))}
${detail('tokens.list.expires', this.expires(view, token))}
</dl>
<form method="post" action="${e(view.action)}">
<input type="hidden" name="csrf_token" value="${e(view.csrfToken)}">
<input type="hidden" name="action" value="revoke">
<input type="hidden" name="token_id" value="${e(token.id)}">
<div class="actions"><button type="submit" class="danger">${e(m['tokens.revoke.confirm'])}</button><a class="button secondary" href="${e(view.action)}">${e(m['tokens.revoke.cancel'])}</a></div>
</form>`,
    );
  }

  private scopeCodes(token: PersonalAccessTokenView): string {
    return token.scopes.map((scope) => `<code>${e(scope)}</code>`).join(' ');
  }

  private lastUsed(view: PersonalAccessTokensView, token: PersonalAccessTokenView): string {
    const m = view.messages;
    if (token.lastUsedAt === null) return e(m['tokens.list.never']);
    return e(
      token.lastUsedIp ? m['tokens.list.lastUsedFrom']({ date: day(token.lastUsedAt), address: token.lastUsedIp }) : day(token.lastUsedAt),
    );
  }

  private expires(view: PersonalAccessTokensView, token: PersonalAccessTokenView): string {
    return token.expiresAt === null ? e(view.messages['tokens.list.never']) : day(token.expiresAt);
  }
}
