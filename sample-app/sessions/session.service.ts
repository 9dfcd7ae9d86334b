import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { UsersService } from '../users/users.service';
import { readCookie, sessionCookie } from './cookies';
import { SESSION_TTL_MS, SessionStore } from './session.store';

export const SESSION_COOKIE = 'sid';

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
  ) {}

  /** The signed-in user of this request, or null. This is the app's `resolveUser` hook. */
  async userFromRequest(req: Request): Promise<SignedInUser | null> {
    const sessionId = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sessionId === null) return null;
    const userId = this.store.userIdFor(sessionId);
    if (userId === null) return null;
    const user = await this.users.findById(userId);
    return user === null ? null : { id: user.id, name: user.displayName };
  }

  /** Starts a fresh session (never reusing one the browser brought) and sets its cookie. */
  signIn(req: Request, res: Response, userId: string): void {
    this.endCurrent(req);
    const sessionId = this.store.create(userId);
    res.append('Set-Cookie', sessionCookie(SESSION_COOKIE, sessionId, { maxAgeSeconds: SESSION_TTL_MS / 1000, secure: req.secure }));
  }

  /** Ends the session of this request, if any, and clears the cookie. */
  signOut(req: Request, res: Response): void {
    this.endCurrent(req);
    res.append('Set-Cookie', sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: req.secure }));
  }

  private endCurrent(req: Request): void {
    const sessionId = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sessionId !== null) this.store.destroy(sessionId);
  }
}
