import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CONTENT_SECURITY_POLICY } from '../pages/html';

/** Not framable (clickjacking a button), not cached, nothing leaking through Referer. */
const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/**
 * Writes responses through Nest's HTTP adapter, so the same code answers on Express and on
 * Fastify. For the few answers whose status is only known at run time (pages, error bodies);
 * everything else is a handler's return value.
 */
@Injectable()
export class HttpResponses {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  setHeader(response: unknown, name: string, value: string): void {
    this.adapterHost.httpAdapter.setHeader(response, name, value);
  }

  /** A JSON answer with extra headers (errors of the machine endpoints). */
  json(response: unknown, status: number, body: object, headers: Record<string, string> = {}): void {
    this.setHeaders(response, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    this.adapterHost.httpAdapter.reply(response, body, status);
  }

  /** A complete HTML page with the pages' security headers. */
  page(response: unknown, status: number, html: string): void {
    this.setHeaders(response, { ...PAGE_SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    this.adapterHost.httpAdapter.reply(response, html, status);
  }

  /** 303 See Other from a page: after a POST, to the host's sign-in page, or back to an app. */
  redirectPage(response: unknown, location: string): void {
    this.setHeaders(response, PAGE_SECURITY_HEADERS);
    this.adapterHost.httpAdapter.redirect(response, 303, location);
  }

  private setHeaders(response: unknown, headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) this.setHeader(response, name, value);
  }
}
