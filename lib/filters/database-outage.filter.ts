import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Injectable } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import { prefersHtml } from '../http/prefers-html';
import { DatabaseOutagePage } from '../pages/database-outage-page';
import { isDatabaseUnavailable } from '../storage/database-unavailable';
import { passToNextFilter } from './global-filter-chain';
import { OAuthExceptionFilter } from './oauth-exception.filter';
import { TemporarilyUnavailableError } from '../errors/temporarily-unavailable.error';

/**
 * For the host's own routes, registered app-wide by the host: a database outage (a lost or
 * refused connection, a timeout, a busy or read-only SQLite file) thrown by a host controller,
 * guard or middleware becomes 503 with `Retry-After`, as the module's own endpoints answer,
 * instead of Nest's 500. The bearer guard can pass a token from its caches while the database
 * is away, and then it is the host's own query that fails.
 *
 * A filter rather than an interceptor: interceptors run after guards and miss middleware, and an
 * app-wide filter needs no decorator on each controller. JSON (`temporarily_unavailable`, never
 * cached) unless the request's Accept header prefers `text/html` (a browser), which gets the
 * module's outage page. Anything else, including every HttpException (a status the code chose),
 * goes on unchanged to the filter Nest would otherwise have asked, or to Nest's built-in answer.
 */
@Catch()
@Injectable()
export class DatabaseOutageFilter implements ExceptionFilter {
  private readonly oauthErrors: OAuthExceptionFilter;

  constructor(
    private readonly outagePage: DatabaseOutagePage,
    responses: HttpResponses,
    private readonly applicationConfig: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.oauthErrors = new OAuthExceptionFilter(responses);
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (!this.isOutageToAnswer(exception, host)) {
      return passToNextFilter(this, exception, host, this.applicationConfig, this.adapterHost);
    }
    const http = host.switchToHttp();
    const request = http.getRequest<DeviceAuthRequest>();
    if (prefersHtml(request.headers.accept)) return this.outagePage.send(request, http.getResponse());
    this.oauthErrors.catch(new TemporarilyUnavailableError(), host);
  }

  private isOutageToAnswer(exception: unknown, host: ArgumentsHost): boolean {
    return (
      host.getType() === 'http' &&
      !(exception instanceof HttpException) &&
      isDatabaseUnavailable(exception) &&
      // A handler that had begun its answer cannot turn it into a 503: Nest's own handling ends it.
      !this.adapterHost.httpAdapter.isHeadersSent(host.switchToHttp().getResponse())
    );
  }
}
