import { Inject, Injectable } from '@nestjs/common';
import type { DeviceAuthRequest } from '../../lib';
import { UsersService } from '../users/users.service';
import { readCookie, sessionCookie } from './cookies';
import { SESSION_TTL_MS, SessionStore } from './session.store';

export const SESSION_COOKIE = 'sid';

/**
 * Whether the session cookie is `Secure`: decided by the issuer's scheme, not by each request's,
 * so a site served over https behind a TLS-terminating proxy never hands out a cookie that
 * could travel over plain http.
 */
export const SESSION_COOKIE_SECURE = Symbol('SESSION_COOKIE_SECURE');

/** Who is signed in, as the device-auth module and the pages need it. */
export interface SignedInUser {
  id: string;
  name: string;
}

/** Ties browser requests to signed-in users through the `sid` cookie. */
@Injectable()
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly users: UsersService,
    @Inject(SESSION_COOKIE_SECURE) private readonly secureCookie: boolean,
  ) {}

  /** The signed-in user of this request, or null. This is the app's `resolveUser` hook. */
  async userFromRequest(req: DeviceAuthRequest): Promise<SignedInUser | null> {
    const sessionId = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sessionId === null) return null;
    const userId = this.store.userIdFor(sessionId);
    if (userId === null) return null;
    const user = await this.users.findById(userId);
    return user === null ? null : { id: user.id, name: user.displayName };
  }

  /** Starts a fresh session (never reusing one the browser brought); answers its Set-Cookie value. */
  signIn(req: DeviceAuthRequest, userId: string): string {
    this.endCurrent(req);
    const sessionId = this.store.create(userId);
    return sessionCookie(SESSION_COOKIE, sessionId, { maxAgeSeconds: SESSION_TTL_MS / 1000, secure: this.secureCookie });
  }

  /** Ends the session of this request, if any; answers the Set-Cookie value that clears the cookie. */
  signOut(req: DeviceAuthRequest): string {
    this.endCurrent(req);
    return sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: this.secureCookie });
  }

  private endCurrent(req: DeviceAuthRequest): void {
    const sessionId = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sessionId !== null) this.store.destroy(sessionId);
  }
}
