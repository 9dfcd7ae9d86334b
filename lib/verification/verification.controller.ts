import { Controller, Get, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import { isFormBody } from '../protocol/media-type';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { metadataDocumentHost } from '../clients/metadata-documents/client-id-url';
import { resourceLabel } from '../resource/resource-indicator';
import { scopeList } from '../protocol/scope';
import { formatUserCode } from '../tokens/user-code';
import { type FailureCounter, RateLimits } from '../limits/rate-limits.service';
import { field, isMalformed } from '../pages/form-fields';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages, type PageLink } from '../pages/device-auth-pages';
import { signOutForm } from '../pages/sign-out-form';
import type { DeviceAuthMessages } from '../messages/messages';
import { type CodeLookup, Decision, PendingRequest, VerificationService } from './verification.service';
import { deviceSoftware } from './device-software';
import { DatabaseOutagePageInterceptor } from '../pages/database-outage-page.interceptor';
import { describeScopes } from '../pages/scope-descriptions';

const DECISIONS = new Map<string, Decision>([
  ['approve', 'approved'],
  ['deny', 'denied'],
]);

/**
 * The browser side of the device flow (`/oauth/device`, from options.paths.verification):
 * GET shows the code entry or the confirmation; POST approves or denies.
 */
@UseInterceptors(DatabaseOutagePageInterceptor)
@Controller()
export class VerificationController {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly verification: VerificationService,
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
    private readonly limits: RateLimits,
    private readonly responses: HttpResponses,
  ) {}

  @Get()
  async show(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const messages = this.options.messages(request.headers['accept-language']);
    if (isMalformed(request.query, 'user_code')) return this.sendMalformed(response, messages);
    const typedCode = field(request.query, 'user_code');
    const user = await this.options.resolveUser(request);
    if (!user) return this.sendToLogin(response, typedCode);
    if (typedCode === undefined)
      return this.responses.page(response, 200, this.pages.enterCode({ messages, action: this.action, userName: this.nameOf(user) }));

    const pending = await this.lookUp(request, response, messages, user, typedCode);
    if (!pending) return;
    if (!this.verification.mayDecide(user, pending.client)) return this.sendWrongUser(response, messages, user, pending);
    const { authorization } = pending;
    const userCode = formatUserCode(pending.userCode, this.options.deviceCode);
    const now = this.options.clock.now();
    const page = this.pages.confirm({
      messages,
      userName: this.nameOf(user),
      clientName: pending.client.name,
      clientIdHost: metadataDocumentHost(pending.client),
      resource: resourceLabel(this.options, authorization.resource),
      scopes: describeScopes(this.options.scopes, scopeList(authorization.scope), messages.language),
      userCode,
      requestedMinutesAgo: Math.floor((now - authorization.createdAt) / 60_000),
      expiresAt: authorization.expiresAt,
      expiresInSeconds: Math.max(0, Math.floor((authorization.expiresAt - now) / 1000)),
      requestIp: authorization.requestIp,
      requestUserAgent: authorization.requestUserAgent,
      requestSoftware: deviceSoftware(authorization.requestUserAgent),
      form: { action: this.action, hiddenFields: { user_code: userCode, csrf_token: await this.verification.csrfToken(user, pending) } },
    });
    this.responses.page(response, 200, page);
  }

  @Post()
  async decide(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const messages = this.options.messages(request.headers['accept-language']);
    // A page's form only: a JSON body is no browser's form post, whatever it holds.
    if (!isFormBody(request) || ['user_code', 'action', 'csrf_token'].some((name) => isMalformed(request.body, name)))
      return this.sendMalformed(response, messages);
    const typedCode = field(request.body, 'user_code');
    const user = await this.options.resolveUser(request);
    if (!user) return this.sendToLogin(response, typedCode);
    const decision = DECISIONS.get(field(request.body, 'action') ?? '');
    if (typedCode === undefined || decision === undefined) return this.sendMalformed(response, messages);
    const pending = await this.lookUp(request, response, messages, user, typedCode);
    if (!pending) return;
    // Before the CSRF check: no page ever gives another user a valid token for a personal app, so
    // checking the token first would answer "Request expired" instead of saying who may approve.
    if (!this.verification.mayDecide(user, pending.client)) return this.sendWrongUser(response, messages, user, pending);
    if (!(await this.verification.isValidCsrfToken(user, pending, field(request.body, 'csrf_token')))) {
      return this.responses.page(
        response,
        403,
        this.pages.message({
          messages,
          title: messages['error.expired.title'],
          text: messages['error.expired.device'],
          links: this.waysOn(messages),
        }),
      );
    }
    const outcome = await this.verification.decide(pending, user, decision);
    if (outcome === 'wrong-user') return this.sendWrongUser(response, messages, user, pending);
    // Decided meanwhile (a second click, another tab) or expired: say which, as a fresh look-up would.
    if (outcome === 'no-longer-pending')
      return this.sendLookUp(response, messages, user, typedCode, await this.verification.lookUp(typedCode, user));
    this.responses.page(response, 200, this.pages.result({ messages, approved: decision === 'approved', clientName: pending.client.name }));
  }

  private get action(): string {
    return this.options.paths.verification;
  }

  /**
   * Finds the pending request, counting wrong guesses per user and per IP (RFC 8628 §5.1); answers
   * the page itself otherwise. Only a code that is no live request and never was this user's counts:
   * reopening one's own approved or denied code, or an expired one, is no guess.
   */
  private async lookUp(
    request: DeviceAuthRequest,
    response: unknown,
    messages: DeviceAuthMessages,
    user: DeviceAuthUser,
    typedCode: string,
  ): Promise<PendingRequest | null> {
    const found: { lookUp?: CodeLookup } = {};
    const counters: FailureCounter[] = [
      { limit: 'wrongUserCodes', key: user.id },
      { limit: 'wrongUserCodesPerIp', key: await this.limits.clientKey(request) },
    ];
    const blockedFor = await this.limits.attempt(counters, async () => {
      found.lookUp = await this.verification.lookUp(typedCode, user);
      return found.lookUp.outcome !== 'invalid';
    });
    if (blockedFor !== null) {
      this.responses.setHeader(response, 'Retry-After', String(blockedFor));
      const text = messages['error.tooManyAttempts.text']({ minutes: Math.ceil(blockedFor / 60) });
      const page = this.pages.message({ messages, title: messages['error.tooManyAttempts.title'], text, links: this.waysOn(messages) });
      this.responses.page(response, 429, page);
      return null;
    }
    if (found.lookUp?.outcome === 'pending') return found.lookUp.pending;
    this.sendLookUp(response, messages, user, typedCode, found.lookUp ?? { outcome: 'invalid' });
    return null;
  }

  /** The answer to a code that is no pending request: this user's own decision, "expired", or "not valid". */
  private sendLookUp(response: unknown, messages: DeviceAuthMessages, user: DeviceAuthUser, typedCode: string, lookUp: CodeLookup): void {
    if (lookUp.outcome === 'decided') {
      const page = this.pages.result({
        messages,
        approved: lookUp.decision === 'approved',
        clientName: lookUp.clientName,
        decidedBefore: true,
      });
      return this.responses.page(response, 200, page);
    }
    const page = this.pages.enterCode({
      messages,
      action: this.action,
      userName: this.nameOf(user),
      error: messages[lookUp.outcome === 'expired' ? 'enterCode.expiredCode' : 'enterCode.invalidCode'],
      // Kept, so a typo is corrected rather than typed again.
      userCode: typedCode.slice(0, 64),
      links: [this.home(messages)],
    });
    this.responses.page(response, 400, page);
  }

  private sendMalformed(response: unknown, messages: DeviceAuthMessages): void {
    this.responses.page(
      response,
      400,
      this.pages.message({
        messages,
        title: messages['error.malformed.title'],
        text: messages['error.malformed.device'],
        links: this.waysOn(messages),
      }),
    );
  }

  /** Who is signed in, and a way to switch that comes back to this same code. */
  private sendWrongUser(response: unknown, messages: DeviceAuthMessages, user: DeviceAuthUser, pending: PendingRequest): void {
    const returnTo = `${this.action}?user_code=${encodeURIComponent(formatUserCode(pending.userCode, this.options.deviceCode))}`;
    const signOut = signOutForm(this.options, returnTo);
    const page = this.pages.wrongAccount({
      messages,
      userName: this.nameOf(user),
      clientName: pending.client.name,
      signOutAction: signOut.action,
      links: [this.home(messages)],
    });
    this.responses.page(response, 403, page, signOut.formTargets);
  }

  private sendToLogin(response: unknown, typedCode: string | undefined): void {
    const returnTo = typedCode === undefined ? this.action : `${this.action}?user_code=${encodeURIComponent(typedCode.slice(0, 64))}`;
    this.responses.redirectPage(response, this.options.loginUrl(returnTo));
  }

  /** The ways on from an error page: enter a code again, or leave for the host's home page. */
  private waysOn(messages: DeviceAuthMessages): PageLink[] {
    return [{ href: this.action, text: messages['common.enterCode'] }, this.home(messages)];
  }

  private home(messages: DeviceAuthMessages): PageLink {
    return { href: this.options.homeUrl, text: messages['common.home'] };
  }

  private nameOf(user: DeviceAuthUser): string {
    return user.name ?? user.id;
  }
}
