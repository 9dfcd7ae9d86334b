import { Controller, Get, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../http/device-auth-request';
import { HttpResponses } from '../http/http-responses.service';
import { isFormBody } from '../http/media-type';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { metadataDocumentHost } from '../clients/metadata-documents/client-id-url';
import { resourceLabel } from '../resource/resource-indicator';
import { scopeList } from '../oauth/scope';
import { formatUserCode } from '../tokens/user-code';
import { clientAddress } from '../http/client-address';
import { RateLimits } from '../limits/rate-limits.service';
import { field, isMalformed } from '../pages/form-fields';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages } from '../pages/device-auth-pages';
import type { DeviceAuthMessages } from '../pages/messages';
import { Decision, PendingRequest, VerificationService } from './verification.service';
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
    if (!this.verification.mayDecide(user, pending.client)) return this.sendWrongUser(response, messages, pending);
    const { authorization } = pending;
    const userCode = formatUserCode(pending.userCode, this.options.deviceCode);
    const page = this.pages.confirm({
      messages,
      userName: this.nameOf(user),
      clientName: pending.client.name,
      clientIdHost: metadataDocumentHost(pending.client),
      resource: resourceLabel(this.options, authorization.resource),
      scopes: describeScopes(this.options.scopes, scopeList(authorization.scope), messages.language),
      userCode,
      requestedMinutesAgo: Math.floor((this.options.clock.now() - authorization.createdAt) / 60_000),
      requestIp: authorization.requestIp,
      requestUserAgent: authorization.requestUserAgent,
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
    if (!this.verification.mayDecide(user, pending.client)) return this.sendWrongUser(response, messages, pending);
    if (!(await this.verification.isValidCsrfToken(user, pending, field(request.body, 'csrf_token')))) {
      return this.responses.page(
        response,
        403,
        this.pages.message({ messages, title: messages['error.expired.title'], text: messages['error.expired.device'] }),
      );
    }
    const outcome = await this.verification.decide(pending, user, decision);
    if (outcome === 'wrong-user') return this.sendWrongUser(response, messages, pending);
    if (outcome === 'no-longer-pending') return this.sendInvalidCode(response, messages, user);
    this.responses.page(response, 200, this.pages.result({ messages, approved: decision === 'approved', clientName: pending.client.name }));
  }

  private get action(): string {
    return this.options.paths.verification;
  }

  /**
   * Finds the pending request, counting wrong guesses per user and per IP (RFC 8628 §5.1); answers
   * the page itself on failure.
   */
  private async lookUp(
    request: DeviceAuthRequest,
    response: unknown,
    messages: DeviceAuthMessages,
    user: DeviceAuthUser,
    typedCode: string,
  ): Promise<PendingRequest | null> {
    const keys = [`user:${user.id}`, `ip:${clientAddress(request) ?? 'unknown'}`];
    let pending: PendingRequest | null = null;
    const blockedFor = await this.limits.attempt('wrongUserCodes', keys, async () => {
      pending = await this.verification.findPending(typedCode);
      return pending !== null;
    });
    if (blockedFor !== null) {
      this.responses.setHeader(response, 'Retry-After', String(blockedFor));
      this.responses.page(
        response,
        429,
        this.pages.message({ messages, title: messages['error.tooManyAttempts.title'], text: messages['error.tooManyAttempts.text'] }),
      );
    } else if (!pending) this.sendInvalidCode(response, messages, user);
    return pending;
  }

  /** One answer for unknown, expired and used codes, so a guesser learns nothing (RFC 8628 §5.1). */
  private sendInvalidCode(response: unknown, messages: DeviceAuthMessages, user: DeviceAuthUser): void {
    this.responses.page(
      response,
      400,
      this.pages.enterCode({ messages, action: this.action, userName: this.nameOf(user), error: messages['enterCode.invalidCode'] }),
    );
  }

  private sendMalformed(response: unknown, messages: DeviceAuthMessages): void {
    this.responses.page(
      response,
      400,
      this.pages.message({ messages, title: messages['error.malformed.title'], text: messages['error.malformed.device'] }),
    );
  }

  private sendWrongUser(response: unknown, messages: DeviceAuthMessages, pending: PendingRequest): void {
    this.responses.page(response, 403, this.pages.wrongAccount({ messages, clientName: pending.client.name }));
  }

  private sendToLogin(response: unknown, typedCode: string | undefined): void {
    const returnTo = typedCode === undefined ? this.action : `${this.action}?user_code=${encodeURIComponent(typedCode.slice(0, 64))}`;
    this.responses.redirectPage(response, this.options.loginUrl(returnTo));
  }

  private nameOf(user: DeviceAuthUser): string {
    return user.name ?? user.id;
  }
}
