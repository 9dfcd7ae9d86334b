import { Controller, Get, Inject, Post, Req, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../http/device-auth-request';
import { HttpResponses } from '../http/http-responses.service';
import { isFormBody } from '../http/media-type';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { CsrfTokens } from '../pages/csrf-tokens.service';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages, type PersonalAccessTokensView } from '../pages/device-auth-pages';
import { field, hasBracketedKey, isMalformed } from '../pages/form-fields';
import type { DeviceAuthMessages } from '../pages/messages';
import { PersonalAccessTokensEnabled } from './personal-access-tokens-enabled.guard';
import { PersonalAccessTokenError, PersonalAccessTokensService } from './personal-access-tokens.service';
import { DatabaseOutagePageInterceptor } from '../pages/database-outage-page.interceptor';
import { describeScopes } from '../pages/scope-descriptions';

const DAY_SECONDS = 24 * 3600;
const EXPIRY_CHOICES_DAYS = [7, 30, 60, 90, 180, 365];

/** What the page says about the last form: the token just created, or a notice or an error. */
type Outcome = Pick<PersonalAccessTokensView, 'created' | 'error' | 'notice'>;

/** Checkboxes arrive as one string or a list of strings. */
function scopesField(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/**
 * The "API tokens" settings page (options.paths.personalAccessTokensPage), in the style of the
 * verification page: create with name, scopes and expiry; the new token shown once; the list
 * with created / last used / expires; revoke. Forms are POST with a CSRF token.
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
    private readonly responses: HttpResponses,
  ) {}

  @Get()
  async show(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const user = await this.options.resolveUser(request);
    if (!user) return this.responses.redirectPage(response, this.options.loginUrl(this.action));
    await this.render(response, 200, user, this.options.messages(request.headers['accept-language']), {});
  }

  @Post()
  async submit(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const user = await this.options.resolveUser(request);
    if (!user) return this.responses.redirectPage(response, this.options.loginUrl(this.action));
    const messages = this.options.messages(request.headers['accept-language']);
    if (!isFormBody(request)) return this.render(response, 400, user, messages, { error: messages['tokens.error.malformed'] });
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    if (!(await this.isValidCsrfToken(user, field(body, 'csrf_token')))) {
      return this.render(response, 403, user, messages, { error: messages['tokens.error.expired'] });
    }
    const action = field(body, 'action');
    if (action === 'create') return this.create(response, user, messages, body);
    if (action === 'revoke') return this.revoke(response, user, messages, field(body, 'token_id'));
    await this.render(response, 400, user, messages, { error: messages['tokens.error.unknownAction'] });
  }

  private async create(
    response: unknown,
    user: DeviceAuthUser,
    messages: DeviceAuthMessages,
    body: Record<string, unknown>,
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
    try {
      const { token } = await this.tokens.create({
        userId: user.id,
        name,
        scopes,
        expiresInSeconds: days === null ? null : days * DAY_SECONDS,
      });
      await this.render(response, 201, user, messages, { created: { name: name.trim(), token } });
    } catch (error) {
      if (!(error instanceof PersonalAccessTokenError)) throw error;
      await this.render(response, 400, user, messages, {
        error: messages['tokens.error.createFailed']({ reason: messages['tokens.error.refusal'](error.refusal) }),
      });
    }
  }

  private async revoke(response: unknown, user: DeviceAuthUser, messages: DeviceAuthMessages, tokenId: string | undefined): Promise<void> {
    const revoked = tokenId !== undefined && (await this.tokens.revoke(user.id, tokenId));
    const outcome = revoked ? { notice: messages['tokens.revokedNotice'] } : { error: messages['tokens.error.noSuchToken'] };
    await this.render(response, revoked ? 200 : 404, user, messages, outcome);
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
      csrfToken: await this.csrfToken(user),
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

  private csrfToken(user: DeviceAuthUser): Promise<string> {
    return this.csrf.issue(user.id, 'pat-page');
  }

  private isValidCsrfToken(user: DeviceAuthUser, presented: string | undefined): Promise<boolean> {
    return this.csrf.isValid(user.id, 'pat-page', presented);
  }
}
