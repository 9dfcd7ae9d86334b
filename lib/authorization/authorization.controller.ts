import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { DeviceAuthRequest } from '../http/device-auth-request';
import { HttpResponses } from '../http/http-responses.service';
import { mayActFor } from '../clients/personal-app-owner';
import { scopeList } from '../oauth/scope';
import type { DeviceAuthUser, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { field, isMalformed } from '../pages/form-fields';
import { VerificationPages } from '../verification/verification-pages';
import { AuthorizationPages } from './authorization-pages';
import { AuthorizationRequest, authorizationParameters, AuthorizationRequestCheck } from './authorization-request';
import { AuthorizationService } from './authorization.service';

/**
 * The authorization endpoint of the code flow (`/o/authorize/`, from options.paths.authorization):
 * GET checks the request and shows the consent page; POST approves or denies and sends the
 * browser back to the app. Same rules as the verification page: sign-in through `loginUrl`,
 * CSRF-protected buttons, the personal-app rule.
 */
@Controller()
export class AuthorizationController {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly authorizations: AuthorizationService,
    private readonly pages: AuthorizationPages,
    private readonly messages: VerificationPages,
    private readonly responses: HttpResponses,
  ) {}

  @Get()
  async show(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    const authorization = await this.checked(request.query, response);
    if (!authorization) return;
    const user = await this.options.resolveUser(request);
    if (!user) return this.sendToLogin(response, authorization);
    if (!mayActFor(authorization.client, user.id)) return this.responses.page(response, 403, this.messages.wrongAccount(authorization.client.name));
    if (await this.authorizations.maySkipConsent(user, authorization)) return this.approve(response, user, authorization);
    this.responses.page(
      response,
      200,
      this.pages.consent({
        action: this.action,
        userName: user.name ?? user.id,
        clientName: authorization.client.name,
        scopes: scopeList(authorization.scope).map((name) => ({ name, description: this.options.scopes[name] ?? name })),
        returnTo: new URL(authorization.redirectUri).origin,
        parameters: authorizationParameters(authorization),
        csrfToken: await this.authorizations.csrfToken(user, authorization),
      }),
    );
  }

  @Post()
  async decide(@Req() request: DeviceAuthRequest, @Res() response: unknown): Promise<void> {
    if (isMalformed(request.body, 'action') || isMalformed(request.body, 'csrf_token')) return this.sendMalformed(response);
    const authorization = await this.checked(request.body, response);
    if (!authorization) return;
    const user = await this.options.resolveUser(request);
    if (!user) return this.sendToLogin(response, authorization);
    const action = field(request.body, 'action');
    if (action !== 'approve' && action !== 'deny') return this.sendMalformed(response);
    if (!mayActFor(authorization.client, user.id)) return this.responses.page(response, 403, this.messages.wrongAccount(authorization.client.name));
    if (!(await this.authorizations.isValidCsrfToken(user, authorization, field(request.body, 'csrf_token')))) {
      return this.responses.page(response, 403, this.messages.message('Request expired', 'This form is no longer valid. Start the sign-in again from the app.'));
    }
    if (action === 'approve') return this.approve(response, user, authorization);
    this.authorizations.deny(user, authorization);
    this.answer(response, authorization, { error: 'access_denied', error_description: 'The user denied the request' });
  }

  private get action(): string {
    return this.options.paths.authorization;
  }

  /** The checked request, or null once the error has been answered (as a page, or back to the app). */
  private async checked(source: unknown, response: unknown): Promise<AuthorizationRequest | null> {
    const check: AuthorizationRequestCheck = await this.authorizations.check(source);
    if (check.outcome === 'valid') return check.request;
    if (check.outcome === 'show-error') this.responses.page(response, 400, this.messages.message('Sign-in cannot continue', check.message));
    else this.responses.redirectPage(response, this.authorizations.redirectUrl(check.redirectUri, check.state, { error: check.error, error_description: check.description }));
    return null;
  }

  private async approve(response: unknown, user: DeviceAuthUser, authorization: AuthorizationRequest): Promise<void> {
    this.answer(response, authorization, { code: await this.authorizations.approve(user, authorization) });
  }

  private answer(response: unknown, authorization: AuthorizationRequest, answer: Parameters<AuthorizationService['redirectUrl']>[2]): void {
    this.responses.redirectPage(response, this.authorizations.redirectUrl(authorization.redirectUri, authorization.state, answer));
  }

  /** Back to this same request after sign-in: the checked parameters, not whatever else the URL carried. */
  private sendToLogin(response: unknown, authorization: AuthorizationRequest): void {
    const returnTo = `${this.action}?${new URLSearchParams(authorizationParameters(authorization)).toString()}`;
    this.responses.redirectPage(response, this.options.loginUrl(returnTo));
  }

  private sendMalformed(response: unknown): void {
    this.responses.page(response, 400, this.messages.message('Something went wrong', 'The form was incomplete or malformed. Start the sign-in again from the app.'));
  }
}
