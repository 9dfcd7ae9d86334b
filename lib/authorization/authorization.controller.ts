import { Controller, Get, Inject, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import { isFormBody } from '../protocol/media-type';
import { mayActFor } from '../entities/personal-app-owner';
import { metadataDocumentHost } from '../clients/metadata-documents/client-id-url';
import { resourceLabel } from '../resource/resource-indicator';
import { ClientsService } from '../clients/clients.service';
import { RateLimits } from '../limits/rate-limits.service';
import { scopeList } from '../protocol/scope';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages, type PageLink } from '../pages/device-auth-pages';
import { signOutForm } from '../pages/sign-out-form';
import { field, isMalformed } from '../pages/form-fields';
import type { DeviceAuthMessages } from '../messages/messages';
import { AuthorizationRequest, authorizationParameters, AuthorizationRequestCheck } from './authorization-request';
import { AuthorizationService } from './authorization.service';
import { DatabaseOutagePageInterceptor } from '../pages/database-outage-page.interceptor';
import { describeScopes } from '../pages/scope-descriptions';

/**
 * The authorization endpoint of the code flow (`/o/authorize/`, from options.paths.authorization):
 * GET checks the request and shows the consent page; POST approves or denies and sends the
 * browser back to the app. Same rules as the verification page: sign-in through `loginUrl`,
 * CSRF-protected buttons, the personal-app rule.
 */
@UseInterceptors(DatabaseOutagePageInterceptor)
@Controller()
export class AuthorizationController {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly authorizations: AuthorizationService,
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
    private readonly responses: HttpResponses,
    private readonly clients: ClientsService,
    private readonly limits: RateLimits,
  ) {}

  @Get()
  async show(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const messages = this.options.messages(request.headers['accept-language']);
    const authorization = await this.checked(request, request.query, response, messages);
    if (!authorization) return;
    const user = await this.options.resolveUser(request);
    if (!user) return this.sendToLogin(response, authorization);
    if (!mayActFor(authorization.client, user.id)) return this.sendWrongUser(response, messages, user, authorization);
    if (await this.authorizations.maySkipConsent(user, authorization)) return this.approve(response, user, authorization);
    const csrfToken = await this.authorizations.csrfToken(user, authorization);
    // Either answer sends the browser on to the app: the page names it, and its form's policy must allow it.
    const returnTo = new URL(authorization.redirectUri).origin;
    this.responses.page(
      response,
      200,
      this.pages.consent({
        messages,
        userName: user.name ?? user.id,
        clientName: authorization.client.name,
        clientIdHost: metadataDocumentHost(authorization.client),
        resource: resourceLabel(this.options, authorization.resource),
        scopes: describeScopes(this.options.scopes, scopeList(authorization.scope), messages.language),
        returnTo,
        // The authorization request, carried through the form unchanged and checked again on submit.
        form: { action: this.action, hiddenFields: { ...authorizationParameters(authorization), csrf_token: csrfToken } },
      }),
      [returnTo],
    );
  }

  @Post()
  async decide(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const messages = this.options.messages(request.headers['accept-language']);
    const malformed = !isFormBody(request) || isMalformed(request.body, 'action') || isMalformed(request.body, 'csrf_token');
    if (malformed) return this.sendMalformed(response, messages);
    const authorization = await this.checked(request, request.body, response, messages);
    if (!authorization) return;
    const user = await this.options.resolveUser(request);
    if (!user) return this.sendToLogin(response, authorization);
    const action = field(request.body, 'action');
    if (action !== 'approve' && action !== 'deny') return this.sendMalformed(response, messages);
    if (!mayActFor(authorization.client, user.id)) return this.sendWrongUser(response, messages, user, authorization);
    if (!(await this.authorizations.isValidCsrfToken(user, authorization, field(request.body, 'csrf_token')))) {
      return this.responses.page(
        response,
        403,
        this.pages.message({
          messages,
          title: messages['error.expired.title'],
          text: messages['error.expired.signIn'],
          links: [this.home(messages)],
        }),
      );
    }
    if (action === 'approve') return this.approve(response, user, authorization);
    this.authorizations.deny(user, authorization);
    this.answer(response, authorization, { error: 'access_denied', error_description: 'The user denied the request' });
  }

  private get action(): string {
    return this.options.paths.authorization;
  }

  /** The checked request, or null once the error has been answered (as a page, or back to the app). */
  private async checked(
    request: DeviceAuthRequest,
    source: unknown,
    response: unknown,
    messages: DeviceAuthMessages,
  ): Promise<AuthorizationRequest | null> {
    // An app named by URL may make this server fetch that URL: an address gets only so many.
    const clientId = field(source, 'client_id');
    if (clientId !== undefined && this.clients.identifiesByUrl(clientId)) {
      const retryAfter = await this.limits.countRequest('metadataDocumentSignInsPerIp', await this.limits.clientKey(request));
      if (retryAfter !== null) {
        this.responses.setHeader(response, 'Retry-After', String(retryAfter));
        const page = this.pages.message({
          messages,
          title: messages['error.tooManyAttempts.title'],
          text: messages['error.tooManySignIns.text']({ minutes: Math.ceil(retryAfter / 60) }),
          links: [this.home(messages)],
        });
        this.responses.page(response, 429, page);
        return null;
      }
    }
    const check: AuthorizationRequestCheck = await this.authorizations.check(source);
    if (check.outcome === 'valid') return check.request;
    if (check.outcome === 'show-error') {
      const problem =
        check.problem === 'unregisteredRedirect'
          ? messages['error.signIn.unregisteredRedirect']({ appName: check.clientName })
          : messages[`error.signIn.${check.problem}`];
      const text = `${problem} ${messages['error.signIn.whatToDo']}`;
      this.responses.page(
        response,
        400,
        this.pages.message({ messages, title: messages['error.signIn.title'], text, links: [this.home(messages)] }),
      );
    } else
      this.responses.redirectPage(
        response,
        this.authorizations.redirectUrl(check.redirectUri, check.state, { error: check.error, error_description: check.description }),
      );
    return null;
  }

  private async approve(response: unknown, user: DeviceAuthUser, authorization: AuthorizationRequest): Promise<void> {
    this.answer(response, authorization, { code: await this.authorizations.approve(user, authorization) });
  }

  private answer(response: unknown, authorization: AuthorizationRequest, answer: Parameters<AuthorizationService['redirectUrl']>[2]): void {
    this.responses.redirectPage(response, this.authorizations.redirectUrl(authorization.redirectUri, authorization.state, answer));
  }

  private sendToLogin(response: unknown, authorization: AuthorizationRequest): void {
    this.responses.redirectPage(response, this.options.loginUrl(this.returnTo(authorization)));
  }

  /** Back to this same request after sign-in or sign-out: the checked parameters, not whatever else the URL carried. */
  private returnTo(authorization: AuthorizationRequest): string {
    return `${this.action}?${new URLSearchParams(authorizationParameters(authorization)).toString()}`;
  }

  private sendMalformed(response: unknown, messages: DeviceAuthMessages): void {
    this.responses.page(
      response,
      400,
      this.pages.message({
        messages,
        title: messages['error.malformed.title'],
        text: messages['error.malformed.signIn'],
        links: [this.home(messages)],
      }),
    );
  }

  /** Who is signed in, and a way to switch that comes back to this same sign-in. */
  private sendWrongUser(response: unknown, messages: DeviceAuthMessages, user: DeviceAuthUser, authorization: AuthorizationRequest): void {
    const signOut = signOutForm(this.options, this.returnTo(authorization));
    const page = this.pages.wrongAccount({
      messages,
      userName: user.name ?? user.id,
      clientName: authorization.client.name,
      signOutAction: signOut.action,
      links: [this.home(messages)],
    });
    this.responses.page(response, 403, page, signOut.formTargets);
  }

  private home(messages: DeviceAuthMessages): PageLink {
    return { href: this.options.homeUrl, text: messages['common.home'] };
  }
}
