import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Inject, Injectable } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { resourceChallenge } from '../resource/protected-resource-metadata';
import { quotable } from '../http/control-characters';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import type { DeviceAuthPaths, ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages } from '../pages/device-auth-pages';
import type { DeviceAuthMessages } from '../messages/messages';
import { passToNextFilter } from './global-filter-chain';
import { OAuthExceptionFilter } from './oauth-exception.filter';
import { OAuthError } from '../errors/oauth.error';
import type { OAuthErrorHeaders } from '../protocol/oauth-error';

type PlainMessage = { [Key in keyof DeviceAuthMessages]: DeviceAuthMessages[Key] extends string ? Key : never }[keyof DeviceAuthMessages];

/** How each of the module's endpoints answers an error: OAuth JSON, OAuth JSON with a Bearer challenge, or a page saying this. */
const ANSWER_FORMATS: Record<keyof DeviceAuthPaths, 'oauth' | 'bearer' | { page: PlainMessage }> = {
  deviceAuthorization: 'oauth',
  token: 'oauth',
  revocation: 'oauth',
  introspection: 'oauth',
  personalAccessTokens: 'oauth',
  secretScanning: 'oauth',
  registration: 'oauth',
  userinfo: 'bearer',
  verification: { page: 'error.malformed.device' },
  authorization: { page: 'error.malformed.signIn' },
  personalAccessTokensPage: { page: 'tokens.error.malformed' },
};

const withoutTrailingSlash = (path: string): string => path.replace(/\/+$/, '');

/**
 * A request the platform refused before any handler ran: body-parser on Express (too large, too
 * deep, too many parameters, an unsupported charset or encoding, malformed JSON, a bad
 * percent-escape in the path) or a content-type parser on Fastify. Nest maps those to an
 * HttpException whose cause is the platform's own error, except the BadRequestException its
 * Fastify form parser throws itself (a `__proto__` key). The module's code sets no cause and
 * throws no BadRequestException.
 */
export function isRefusedByPlatform(exception: HttpException): boolean {
  if (exception.getStatus() >= 500) return false;
  const cause = exception.cause;
  return exception instanceof BadRequestException || (cause instanceof Error && !(cause instanceof HttpException));
}

/**
 * Those refusals reach only global exception filters, so the module registers this one: on the
 * module's own paths it answers them in the endpoint's format (RFC 6749 `invalid_request`, 413 kept
 * for a body too large, else 400; the error page on pages). Every other exception goes on to the
 * global filter that would have had it without this one, or to Nest's built-in answer.
 */
@Catch(HttpException)
@Injectable()
export class RefusedRequestFilter implements ExceptionFilter {
  private readonly oauthErrors: OAuthExceptionFilter;

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
    private readonly responses: HttpResponses,
    private readonly applicationConfig: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.oauthErrors = new OAuthExceptionFilter(responses);
  }

  catch(exception: HttpException, host: ArgumentsHost): unknown {
    const request = host.switchToHttp().getRequest<DeviceAuthRequest>();
    const format = isRefusedByPlatform(exception) ? this.answerFormatOf(request.url) : undefined;
    if (format === undefined) return passToNextFilter(this, exception, host, this.applicationConfig, this.adapterHost);
    const status = exception.getStatus() === 413 ? 413 : 400;
    // The parser's own words help in the body; the challenge says only its fixed sentence (issue 17:
    // `Unexpected token '絻'` in WWW-Authenticate made Node throw, and the answer a 500).
    const description = `The request could not be read: ${quotable(exception.message, 200)}`;
    if (typeof format === 'object') {
      const messages = this.options.messages(request.headers['accept-language']);
      const page = this.pages.message({
        messages,
        title: messages['error.malformed.title'],
        text: messages[format.page],
        links: [{ href: this.options.homeUrl, text: messages['common.home'] }],
      });
      return this.responses.page(host.switchToHttp().getResponse(), status, page);
    }
    const headers: OAuthErrorHeaders = {};
    if (format === 'bearer') {
      // As the guard of that route would challenge: naming the resource's metadata too.
      headers['WWW-Authenticate'] = resourceChallenge(this.options, {
        error: 'invalid_request',
        error_description: 'The request could not be read',
      });
    }
    this.oauthErrors.catch(new OAuthError('invalid_request', description, status, headers), host);
  }

  private answerFormatOf(url: string): (typeof ANSWER_FORMATS)[keyof DeviceAuthPaths] | undefined {
    const path = withoutTrailingSlash(url.split('?')[0]);
    for (const [name, format] of Object.entries(ANSWER_FORMATS) as [
      keyof DeviceAuthPaths,
      (typeof ANSWER_FORMATS)[keyof DeviceAuthPaths],
    ][]) {
      const own = withoutTrailingSlash(this.options.paths[name]);
      // The PAT API has paths below its own (`/:id`).
      if (path === own || (name === 'personalAccessTokens' && path.startsWith(own + '/'))) return format;
    }
    return undefined;
  }
}
