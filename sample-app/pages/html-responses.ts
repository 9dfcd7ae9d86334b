import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DEFAULT_STYLESHEET_SOURCE } from '../../lib';

/** Never cached, never framed, never sniffed, no script, only the device-auth pages' stylesheet: the headers of every page of the sample host. */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': `default-src 'none'; style-src ${DEFAULT_STYLESHEET_SOURCE}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The sample host's pages, written through Nest's HTTP adapter so they work on Express and Fastify. */
@Injectable()
export class HtmlResponses {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** A page, with any extra headers (the sign-in form's CSRF cookie). */
  page(response: unknown, status: number, html: string, headers: Record<string, string> = {}): void {
    this.setHeaders(response, { ...PAGE_HEADERS, ...headers });
    this.adapterHost.httpAdapter.reply(response, html, status);
  }

  /** 303 See Other, with any extra headers (a session cookie). */
  redirect(response: unknown, location: string, headers: Record<string, string> = {}): void {
    this.setHeaders(response, headers);
    this.adapterHost.httpAdapter.redirect(response, 303, location);
  }

  private setHeaders(response: unknown, headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) this.adapterHost.httpAdapter.setHeader(response, name, value);
  }
}
