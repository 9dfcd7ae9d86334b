import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** How long a browser session lasts: one working day. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

interface Session {
  userId: string;
  expiresAt: number;
}

/**
 * Browser sessions kept in this process's memory: they end when the process restarts and are
 * not shared between instances. Fine for a sample; a real host would keep them in its database
 * or in Redis.
 */
@Injectable()
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  /** Starts a session for the user and returns its new random id. */
  create(userId: string): string {
    this.sweep();
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { userId, expiresAt: Date.now() + SESSION_TTL_MS });
    return id;
  }

  /** The user of a live session, or null. */
  userIdFor(sessionId: string): string | null {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return null;
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(sessionId);
      return null;
    }
    return session.userId;
  }

  destroy(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(id);
    }
  }
}
