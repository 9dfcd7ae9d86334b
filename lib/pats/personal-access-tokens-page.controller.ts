import { Controller, Get, Inject, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import { isFormBody } from '../protocol/media-type';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { CsrfTokens } from '../pages/csrf-tokens.service';
import { DatabaseOutagePageInterceptor } from '../pages/database-outage-page.interceptor';
import {
  DEVICE_AUTH_PAGES,
  type DeviceAuthPages,
  type PersonalAccessTokenFormValues,
  type PersonalAccessTokensView,
} from '../pages/device-auth-pages';
import { field, hasBracketedKey, isMalformed } from '../pages/form-fields';
import type { DeviceAuthMessages } from '../messages/messages';
import { NewTokenReveal } from './new-token-reveal';
import { PersonalAccessTokensEnabled } from './personal-access-tokens-enabled.guard';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import { PersonalAccessTokenError } from '../errors/personal-access-token.error';
import { describeScopes } from '../pages/scope-descriptions';

const DAY_SECONDS = 24 * 3600;
const EXPIRY_CHOICES_DAYS = [7, 30, 60, 90, 180, 365];
const FORM_PURPOSE = 'pat-page';

/** What the page shows besides the form and the list: the token just created, a question, a notice or an error. */
type Outcome = Pick<PersonalAccessTokensView, 'created' | 'error' | 'notice' | 'form' | 'revoking'>;

/** Checkboxes arrive as one string or a list of strings. */
function scopesField(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/**
 * The "API tokens" settings page (options.paths.personalAccessTokensPage), in the style of the
 * verification page: create with name, scopes and expiry; the new token shown once; the list
 * with created / last used / expires; revoke after a question. Every POST answers with a 303 to a
 * page (post/redirect/get), so a reload never sends a form again; each rendering of the form
 * carries a one-time key that names the token it creates, so a form sent twice creates one token.
 */
@UseInterceptors(DatabaseOutagePageInterceptor)
@Controller()
@UseGuards(PersonalAccessTokensEnabled)
export class PersonalAccessTokensPageController {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly tokens: PersonalAccessTokensService,
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
    private readonly csrf: CsrfTokens,
    private readonly reveal: NewTokenReveal,
    private readonly responses: HttpResponses,
  ) {}

  /** The page; `?created=` after a create, `?revoked=` after a revoke, `?revoke=` asks before revoking. */
  @Get()
  async show(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const user = await this.options.resolveUser(request);
    if (!user) return this.responses.redirectPage(response, this.options.loginUrl(this.action));
    const messages = this.options.messages(request.headers['accept-language']);
    const query = request.query;
    const revoke = field(query, 'revoke');
    if (revoke !== undefined) return this.askBeforeRevoking(response, user, messages, revoke);
    const created = field(query, 'created');
    if (created !== undefined)
      return this.showCreated(response, user, messages, created, field(query, 'key'), field(query, 'resent') !== undefined);
    const revoked = field(query, 'revoked');
    const revokedView = revoked === undefined ? null : await this.tokens.find(user.id, revoked);
    await this.render(response, 200, user, messages, revokedView?.status === 'revoked' ? { notice: messages['tokens.revokedNotice'] } : {});
  }

  @Post()
  async submit(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const user = await this.options.resolveUser(request);
    if (!user) return this.responses.redirectPage(response, this.options.loginUrl(this.action));
    const messages = this.options.messages(request.headers['accept-language']);
    if (!isFormBody(request)) return this.render(response, 400, user, messages, { error: messages['tokens.error.malformed'] });
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const formKey = await this.csrf.formKeyOf(user.id, FORM_PURPOSE, field(body, 'csrf_token'));
    if (formKey === undefined) return this.render(response, 403, user, messages, { error: messages['tokens.error.expired'] });
    const action = field(body, 'action');
    if (action === 'create') return this.create(response, user, messages, body, formKey);
    if (action === 'revoke') return this.revoke(response, user, messages, field(body, 'token_id'));
    await this.render(response, 400, user, messages, { error: messages['tokens.error.unknownAction'] });
  }

  private async create(
    response: unknown,
    user: DeviceAuthUser,
    messages: DeviceAuthMessages,
    body: Record<string, unknown>,
    formKey: string,
  ): Promise<void> {
    const name = field(body, 'name') ?? '';
    const scopes = scopesField(body.scopes);
    const expiry = field(body, 'expires_in_days');
    const days = expiry === 'never' ? null : Number(expiry ?? this.defaultExpiryDays);
    // A repeated or bracketed name or lifetime, or bracketed scopes, is malformed, not "absent": never fall back to a default.
    const misshapen = isMalformed(body, 'name') || isMalformed(body, 'expires_in_days') || hasBracketedKey(body, 'scopes');
    if (misshapen || scopes === undefined || (days !== null && !Number.isInteger(days))) {
      return this.render(response, 400, user, messages, { error: messages['tokens.error.malformed'] });
    }
    const form: PersonalAccessTokenFormValues = { name, scopes, expiresInDays: expiry ?? String(this.defaultExpiryDays) };
    const key = await this.reveal.keyFor(user.id, formKey);
    let outcome: Awaited<ReturnType<PersonalAccessTokensService['createOnce']>>;
    try {
      outcome = await this.tokens.createOnce(
        { userId: user.id, name, scopes, expiresInSeconds: days === null ? null : days * DAY_SECONDS },
        formKey,
        (token, id) => this.reveal.seal(token, key, user.id, id),
      );
    } catch (error) {
      if (!(error instanceof PersonalAccessTokenError)) throw error;
      return this.render(response, 400, user, messages, { error: messages['tokens.error.refusal'](error.refusal), form });
    }
    const { view, created } = outcome;
    // A form sent twice (a double click) goes to the same page, which shows the token if it has not been shown yet.
    const notShownYet = created || (await this.tokens.pendingReveal(user.id, view.id))?.sealed;
    const query: Record<string, string> = notShownYet ? { created: view.id, key } : { created: view.id, resent: '1' };
    this.responses.redirectPage(response, `${this.action}?${new URLSearchParams(query).toString()}`);
  }

  /** After a create's redirect: the new token once, then only that it was created. */
  private async showCreated(
    response: unknown,
    user: DeviceAuthUser,
    messages: DeviceAuthMessages,
    id: string,
    key: string | undefined,
    resent: boolean,
  ): Promise<void> {
    const pending = await this.tokens.pendingReveal(user.id, id);
    if (!pending) return this.render(response, 200, user, messages, {});
    const { view, sealed } = pending;
    const token = sealed === null || resent ? null : this.reveal.open(sealed, key, user.id, id);
    if (sealed !== null && token !== null && (await this.tokens.takePendingReveal(user.id, id, sealed))) {
      return this.render(response, 200, user, messages, { created: { name: view.name, token } });
    }
    const notice = messages[resent ? 'tokens.created.resent' : 'tokens.created.noLongerShown']({ name: view.name });
    await this.render(response, 200, user, messages, { notice });
  }

  private async askBeforeRevoking(response: unknown, user: DeviceAuthUser, messages: DeviceAuthMessages, id: string): Promise<void> {
    const view = await this.tokens.find(user.id, id);
    if (view?.status !== 'active') return this.render(response, 404, user, messages, { error: messages['tokens.error.noSuchToken'] });
    await this.render(response, 200, user, messages, { revoking: view });
  }

  private async revoke(response: unknown, user: DeviceAuthUser, messages: DeviceAuthMessages, id: string | undefined): Promise<void> {
    // Revoked now, or by this same form a moment ago (a resend): either way the page says it is revoked.
    const revoked =
      id !== undefined && ((await this.tokens.revoke(user.id, id)) || (await this.tokens.find(user.id, id))?.status === 'revoked');
    if (!revoked) return this.render(response, 404, user, messages, { error: messages['tokens.error.noSuchToken'] });
    this.responses.redirectPage(response, `${this.action}?${new URLSearchParams({ revoked: id }).toString()}`);
  }

  private async render(
    response: unknown,
    status: number,
    user: DeviceAuthUser,
    messages: DeviceAuthMessages,
    outcome: Outcome,
  ): Promise<void> {
    const grantable = await this.tokens.grantableScopes(user.id);
    const { allowNoExpiry, maxTtl } = this.options.personalAccessTokens;
    const choices: (number | null)[] = EXPIRY_CHOICES_DAYS.filter((days) => days * DAY_SECONDS <= maxTtl);
    if (!choices.includes(this.defaultExpiryDays)) choices.push(this.defaultExpiryDays);
    if (allowNoExpiry) choices.push(null);
    const html = this.pages.personalAccessTokens({
      messages,
      action: this.action,
      userName: user.name ?? user.id,
      csrfToken: await this.csrf.issueForForm(user.id, FORM_PURPOSE),
      scopes: describeScopes(this.options.scopes, grantable, messages.language),
      expiryChoices: choices.sort((a, b) => (a ?? Infinity) - (b ?? Infinity)),
      defaultExpiryDays: this.defaultExpiryDays,
      tokens: await this.tokens.list(user.id),
      ...outcome,
    });
    this.responses.page(response, status, html);
  }

  private get action(): string {
    return this.options.paths.personalAccessTokensPage;
  }

  private get defaultExpiryDays(): number {
    return Math.max(1, Math.round(this.options.personalAccessTokens.defaultTtl / DAY_SECONDS));
  }
}
