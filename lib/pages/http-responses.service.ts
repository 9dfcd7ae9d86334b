import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { pageContentSecurityPolicy } from './content-security-policy';
import { COPY_SCRIPT_HTML } from './html';
import { locationHeader } from '../http/location';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages } from './device-auth-pages';

/**
 * Writes responses through Nest's HTTP adapter, so the same code answers on Express and on
 * Fastify. For the few answers whose status is only known at run time (pages, error bodies);
 * everything else is a handler's return value.
 */
@Injectable()
export class HttpResponses {
  /** Not framable (clickjacking a button), not cached, nothing leaking through Referer. */
  private readonly pageSecurityHeaders: Record<string, string>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    // The renderer's declared sources are checked here, at start-up, as the policy is built once.
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
  ) {
    this.pageSecurityHeaders = {
      'Content-Security-Policy': pageContentSecurityPolicy(pages.contentSecurityPolicy),
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    };
  }

  setHeader(response: unknown, name: string, value: string): void {
    this.adapterHost.httpAdapter.setHeader(response, name, value);
  }

  /** A JSON answer with extra headers (errors of the machine endpoints). */
  json(response: unknown, status: number, body: object, headers: Record<string, string> = {}): void {
    this.setHeaders(response, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    this.adapterHost.httpAdapter.reply(response, body, status);
  }

  /**
   * A complete HTML page with the pages' security headers. `formTargets`: the origins its form's
   * answer may redirect to besides this server (the consent page's, the app's redirect URI).
   */
  page(response: unknown, status: number, html: string, formTargets: string[] = []): void {
    const headers: Record<string, string> = { ...this.pageSecurityHeaders, 'Content-Type': 'text/html; charset=utf-8' };
    // The built-in copy script runs only on a page that carries it, as it is (its hash is fixed).
    const copyScript = html.includes(COPY_SCRIPT_HTML);
    if (formTargets.length > 0 || copyScript)
      headers['Content-Security-Policy'] = pageContentSecurityPolicy(this.pages.contentSecurityPolicy, formTargets, { copyScript });
    this.setHeaders(response, headers);
    this.adapterHost.httpAdapter.reply(response, html, status);
  }

  /** 303 See Other from a page: after a POST, to the host's sign-in page (`loginUrl`'s answer), or back to an app. */
  redirectPage(response: unknown, location: string): void {
    this.setHeaders(response, this.pageSecurityHeaders);
    this.adapterHost.httpAdapter.redirect(response, 303, locationHeader(location));
  }

  private setHeaders(response: unknown, headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) this.setHeader(response, name, value);
  }
}
