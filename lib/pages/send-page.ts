import type { Response } from 'express';
import { CONTENT_SECURITY_POLICY } from './html';

/** Not framable (clickjacking a button), not cached, nothing leaking through Referer. */
function applyPageSecurityHeaders(response: Response): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Content-Type-Options', 'nosniff');
}

export function sendPage(response: Response, status: number, html: string): void {
  applyPageSecurityHeaders(response);
  response.status(status).type('html').send(html);
}

/** 303 See Other: after a POST, or to the host's sign-in page. */
export function redirectPage(response: Response, location: string): void {
  applyPageSecurityHeaders(response);
  response.redirect(303, location);
}
