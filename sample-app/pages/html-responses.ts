import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** Never cached, never framed, no script: the headers of every page of the sample host. */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** The sample host's pages, written through Nest's HTTP adapter so they work on Express and Fastify. */
@Injectable()
export class HtmlResponses {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  page(response: unknown, status: number, html: string): void {
    this.setHeaders(response, PAGE_HEADERS);
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
