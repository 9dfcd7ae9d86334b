import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DeviceAuthRequest } from '../../lib';
import { readCookie, sessionCookie } from './cookies';
import { SESSION_COOKIE_SECURE } from './session.service';

/** The pre-session cookie the sign-in form's CSRF token must match. */
export const LOGIN_CSRF_COOKIE = 'login_csrf';

/** The site's public origin (the issuer's): a form posted from it is ours even when a proxy rewrote Host. */
export const SITE_ORIGIN = Symbol('SITE_ORIGIN');

/** Long enough to fill the form in; a stale form is answered with a fresh one. */
const LOGIN_CSRF_TTL_SECONDS = 2 * 60 * 60;

/** 32 random bytes, base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** What the sign-in page needs: the token for its form, and the Set-Cookie header that carries it. */
export interface LoginCsrfTicket {
  token: string;
  setCookie: string;
}

/**
 * Guards the sign-in form against login CSRF (another site signing the browser in to the
 * attacker's account, so what the victim approves next lands there). Before any session exists,
 * the form's token is a random value also kept in an HttpOnly, SameSite=Lax cookie: another site
 * can neither read it nor make the browser send the cookie with a cross-site POST. On top, a
 * browser's `Origin` must name this site.
 */
@Injectable()
export class LoginCsrf {
  constructor(
    @Inject(SITE_ORIGIN) private readonly siteOrigin: string,
    @Inject(SESSION_COOKIE_SECURE) private readonly secureCookie: boolean,
  ) {}

  /** This browser's token (kept across reloads and tabs while the cookie lives), or a new one. */
  ticket(request: DeviceAuthRequest): LoginCsrfTicket {
    const current = readCookie(request.headers.cookie, LOGIN_CSRF_COOKIE);
    const token = current !== null && TOKEN_SHAPE.test(current) ? current : randomBytes(32).toString('base64url');
    return {
      token,
      setCookie: sessionCookie(LOGIN_CSRF_COOKIE, token, { maxAgeSeconds: LOGIN_CSRF_TTL_SECONDS, secure: this.secureCookie }),
    };
  }

  /** Whether a sign-in POST carries this browser's token and, if the browser named one, came from this site. */
  isValid(request: DeviceAuthRequest, presented: unknown): boolean {
    const expected = readCookie(request.headers.cookie, LOGIN_CSRF_COOKIE);
    if (expected === null || !TOKEN_SHAPE.test(expected) || typeof presented !== 'string' || !TOKEN_SHAPE.test(presented)) return false;
    return timingSafeEqual(Buffer.from(presented), Buffer.from(expected)) && this.fromThisSite(request);
  }

  /**
   * What the browser says of where the form was posted from. `Sec-Fetch-Site` when it sends one:
   * only this origin (or the user, `none`). `Origin` when it names one: this site's public origin
   * or the Host it was sent to (behind no rewriting proxy). A browser sends `Origin: null` for a
   * page with `Referrer-Policy: no-referrer`, as these pages have, and older browsers send neither:
   * then the token alone decides, which another site cannot read nor, with a SameSite cookie, replay.
   */
  private fromThisSite(request: DeviceAuthRequest): boolean {
    const fetchSite = request.headers['sec-fetch-site'];
    if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
    const origin = request.headers.origin;
    if (origin === undefined || origin === 'null' || origin === this.siteOrigin) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  }
}
