import { DeviceAuthEvents } from '../events/device-auth-events';
import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { CacheInvalidation } from '../cache/cache-invalidation.service';
import { ExpiringCache } from '../cache/expiring-cache';
import { CONTROL_CHARACTER } from '../http/control-characters';
import { scopeList } from '../protocol/scope';
import { PersonalAccessToken } from '../entities/personal-access-token.entity';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { CLIENT_ID_SHAPE, ClientsService } from '../clients/clients.service';
import { LAST_USED_RESOLUTION_MS, PersonalAccessTokenStore } from '../storage/personal-access-token.store';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';
import { sha256Hex } from '../tokens/hashing';
import { generateToken, hasValidChecksum } from '../tokens/random-token';
import type { PersonalAccessTokenView } from '../pages/device-auth-pages';
import { PersonalAccessTokenError } from '../errors/personal-access-token.error';

export interface CreatePersonalAccessTokenInput {
  userId: string;
  name: string;
  scopes: string[];
  /** Seconds from now; `null` for "never" where allowed; the default lifetime when absent. */
  expiresInSeconds?: number | null;
  /** A personal app of this user the token is provisioned for. */
  clientId?: string;
}

const NAME_MAX_LENGTH = 100;
/** PAT ids are UUIDs (randomUUID); anything else is no token, and needs no lookup. */
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function statusOf(row: PersonalAccessToken, now: number): PersonalAccessTokenView['status'] {
  if (row.revokedAt !== null) return 'revoked';
  return row.expiresAt !== null && now >= row.expiresAt ? 'expired' : 'active';
}

/** How long after its creation a token made on the page may still be shown (once): the redirect is followed at once. */
const REVEAL_WINDOW_MS = 10 * 60 * 1000;

/** A UUID (RFC 9562 version 8) named by `name`: the same name, the same id. */
function idNamedBy(name: string): string {
  const bytes = createHash('sha256').update(`personal-access-token-id\n${name}`, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const isoOrNull = (millis: number | null): string | null => (millis === null ? null : new Date(millis).toISOString());

/**
 * Personal access tokens: `bpat_` + 178 random bits + a CRC32 checksum, stored as SHA-256. Host
 * code provisions them here; the guard verifies them through a short, bounded cache so a hot
 * loop of API calls costs no database read per request.
 */
@Injectable()
export class PersonalAccessTokensService {
  private readonly verified: ExpiringCache<PersonalAccessToken>;
  private readonly logger = new Logger('PersonalAccessTokens');
  /** Tokens whose last use this instance stamped within the minute. */
  private readonly recentlyStamped = new ExpiringCache<true>(LAST_USED_RESOLUTION_MS);

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: PersonalAccessTokenStore,
    private readonly clients: ClientsService,
    private readonly invalidation: CacheInvalidation,
    private readonly events: DeviceAuthEvents,
  ) {
    this.verified = new ExpiringCache(options.personalAccessTokens.cacheSeconds * 1000);
    invalidation.on('personal-access-token-revoked', (id) => this.verified.deleteWhere((row) => row.id === id));
  }

  /** Creates a PAT; the raw token is in the result once and nowhere else. */
  async create(input: CreatePersonalAccessTokenInput): Promise<{ token: string; view: PersonalAccessTokenView }> {
    const { row, token } = await this.newRow(input, randomUUID());
    await this.store.insert(row);
    return { token, view: this.view(row) };
  }

  /**
   * Creates a PAT once per `creationKey` (the API tokens page's one-time form key): the key names
   * the token's id, so a second call with it (a resent form, a double click, on any instance)
   * creates nothing and answers the first token with `created: false`. The new token is kept only
   * as `seal` wraps it, for `pendingReveal`.
   */
  async createOnce(
    input: CreatePersonalAccessTokenInput,
    creationKey: string,
    seal: (token: string, id: string) => string,
  ): Promise<{ view: PersonalAccessTokenView; created: boolean }> {
    const id = idNamedBy(`${input.userId}\n${creationKey}`);
    const existing = await this.store.findOfUser(input.userId, id);
    if (existing) return { view: this.view(existing), created: false };
    const { row, token } = await this.newRow(input, id);
    row.pendingReveal = seal(token, id);
    if (await this.store.insertUnlessTaken(row)) return { view: this.view(row), created: true };
    const winner = await this.store.findOfUser(input.userId, id);
    if (!winner) throw new Error('A personal access token was neither created nor found');
    return { view: this.view(winner), created: false };
  }

  /** One of the user's tokens, with its sealed value while that still waits for its one showing (REVEAL_WINDOW_MS). */
  async pendingReveal(userId: string, id: string): Promise<{ view: PersonalAccessTokenView; sealed: string | null } | null> {
    if (!TOKEN_ID.test(id)) return null;
    const row = await this.store.findOfUser(userId, id);
    if (!row) return null;
    const fresh = this.options.clock.now() - row.createdAt < REVEAL_WINDOW_MS;
    return { view: this.view(row), sealed: fresh ? row.pendingReveal : null };
  }

  /** Ends the showing window of a sealed token: true for the one caller who may show it. */
  takePendingReveal(userId: string, id: string, sealed: string): Promise<boolean> {
    return this.store.takePendingReveal(userId, id, sealed);
  }

  /** Drops sealed tokens whose showing window passed unseen (the clean-up job). */
  dropStaleReveals(batchSize: number): Promise<number> {
    return this.store.dropStaleRevealsBatch(this.options.clock.now() - REVEAL_WINDOW_MS, batchSize);
  }

  private async newRow(input: CreatePersonalAccessTokenInput, id: string): Promise<{ row: PersonalAccessToken; token: string }> {
    if (!this.options.personalAccessTokens.enabled) throw new PersonalAccessTokenError({ kind: 'turnedOff' });
    const name = input.name?.trim();
    if (!name || name.length > NAME_MAX_LENGTH) throw new PersonalAccessTokenError({ kind: 'nameLength', maxLength: NAME_MAX_LENGTH });
    if (CONTROL_CHARACTER.test(name)) throw new PersonalAccessTokenError({ kind: 'nameControlCharacters' });
    const scopes = await this.checkScopes(input.userId, input.scopes, input.clientId);
    const now = this.options.clock.now();
    const token = generateToken(this.options.personalAccessTokens.prefix);
    const row: PersonalAccessToken = {
      id,
      tokenHash: sha256Hex(token),
      displayHint: `${this.options.personalAccessTokens.prefix}…${token.slice(-4)}`,
      userId: input.userId,
      clientId: input.clientId ?? null,
      name,
      scope: scopes.join(' '),
      createdAt: now,
      expiresAt: this.expiresAt(input.expiresInSeconds, now),
      lastUsedAt: null,
      lastUsedIp: null,
      revokedAt: null,
      expiryWarnedDays: null,
      pendingReveal: null,
    };
    return { row, token };
  }

  /** One of the user's tokens, or null (another user's id answers null too). */
  async find(userId: string, id: string): Promise<PersonalAccessTokenView | null> {
    const row = TOKEN_ID.test(id) ? await this.store.findOfUser(userId, id) : null;
    return row && this.view(row);
  }

  async list(userId: string): Promise<PersonalAccessTokenView[]> {
    return (await this.store.listByUser(userId)).map((row) => this.view(row));
  }

  /** Revokes one of the user's tokens; this instance (and with Redis every other) refuses it from the next request on. */
  async revoke(userId: string, id: string, reason: 'revoked' | 'leaked' = 'revoked'): Promise<boolean> {
    if (!TOKEN_ID.test(id)) return false;
    const revoked = await this.store.revoke(userId, id, this.options.clock.now());
    await this.invalidation.announce('personal-access-token-revoked', id);
    if (revoked) this.events.emit('personal_access_token.revoked', { tokenId: id, userId, reason });
    return revoked;
  }

  /**
   * Emits `personal_access_token.expiring` for live tokens that reached a threshold of
   * `expiryWarningDays`, once per token and threshold (across instances: the first to record it
   * announces it). Nearest threshold first, so a token already close to its end gets one warning.
   */
  async warnOfExpiringTokens(batchSize: number): Promise<number> {
    const now = this.options.clock.now();
    let warned = 0;
    for (const days of [...this.options.personalAccessTokens.expiryWarningDays].sort((a, b) => a - b)) {
      for (const row of await this.store.expiringUnwarned(now, days, batchSize)) {
        if (!(await this.store.claimExpiryWarning(row.id, days))) continue;
        const expiresAt = new Date(row.expiresAt as number);
        this.events.emit('personal_access_token.expiring', { tokenId: row.id, userId: row.userId, name: row.name, expiresAt, days });
        warned++;
      }
    }
    return warned;
  }

  /** The live PAT behind a presented value, or InvalidAccessTokenError. */
  async verify(token: string): Promise<PersonalAccessToken> {
    // A checksum failure is refused without touching the database.
    if (!hasValidChecksum(token, this.options.personalAccessTokens.prefix))
      throw new InvalidAccessTokenError('The personal access token is malformed');
    const now = this.options.clock.now();
    const tokenHash = sha256Hex(token);
    let row = this.verified.get(tokenHash, now);
    if (!row) {
      row = (await this.store.findByHash(tokenHash)) ?? undefined;
      if (!row) throw new InvalidAccessTokenError('Unknown personal access token');
      this.verified.set(tokenHash, row, now);
    }
    const status = statusOf(row, now);
    if (status === 'revoked') throw new InvalidAccessTokenError('The personal access token has been revoked');
    if (status === 'expired') throw new InvalidAccessTokenError('The personal access token has expired');
    return row;
  }

  /**
   * A PAT reported as leaked: its row, revoked now if it still worked. Null for a value that is no
   * PAT of this server (a false positive).
   */
  async revokeLeaked(token: string): Promise<{ row: PersonalAccessToken; wasActive: boolean } | null> {
    const { enabled, prefix } = this.options.personalAccessTokens;
    if (!enabled || !hasValidChecksum(token, prefix)) return null;
    const row = await this.store.findByHash(sha256Hex(token));
    if (!row) return null;
    const wasActive = statusOf(row, this.options.clock.now()) === 'active';
    if (wasActive) await this.revoke(row.userId, row.id, 'leaked');
    return { row, wasActive };
  }

  /** Records use, at most once a minute per token: never a write per request. A failed stamp never fails the call. */
  async recordUse(tokenId: string, ip: string | null): Promise<void> {
    const now = this.options.clock.now();
    if (this.recentlyStamped.get(tokenId, now)) return;
    this.recentlyStamped.set(tokenId, true, now);
    try {
      await this.store.touch(tokenId, now, ip);
    } catch (error) {
      this.logger.warn(`Could not record the last use of a personal access token: ${String(error)}`);
    }
  }

  /** The scopes the user may put on a PAT: within `personalAccessTokens.scopes` (and, for an app's PAT, within the app's). */
  async grantableScopes(userId: string, clientId?: string): Promise<string[]> {
    const { grantableScopes: hook, scopes: offered } = this.options.personalAccessTokens;
    let scopes = hook ? await hook(userId) : offered;
    scopes = scopes.filter((scope) => offered.includes(scope));
    if (clientId === undefined) return scopes;
    const client = CLIENT_ID_SHAPE.test(clientId) ? await this.clients.findById(clientId) : null;
    if (!client || client.mode !== 'personal' || client.ownerUserId !== userId) {
      throw new PersonalAccessTokenError({ kind: 'notPersonalApp' });
    }
    return scopes.filter((scope) => client.scopes.includes(scope));
  }

  private async checkScopes(userId: string, requested: string[], clientId?: string): Promise<string[]> {
    if (!Array.isArray(requested) || requested.length === 0 || requested.some((scope) => typeof scope !== 'string')) {
      throw new PersonalAccessTokenError({ kind: 'noScopes' });
    }
    const allowed = await this.grantableScopes(userId, clientId);
    const refused = requested.filter((scope) => !allowed.includes(scope));
    if (refused.length > 0) throw new PersonalAccessTokenError({ kind: 'scopesNotAllowed', scopes: refused.join(' ') });
    return [...new Set(requested)];
  }

  private expiresAt(expiresInSeconds: number | null | undefined, now: number): number | null {
    const { defaultTtl, maxTtl, allowNoExpiry } = this.options.personalAccessTokens;
    if (expiresInSeconds === null) {
      if (!allowNoExpiry) throw new PersonalAccessTokenError({ kind: 'noExpiryNotAllowed' });
      return null;
    }
    const seconds = expiresInSeconds ?? defaultTtl;
    if (!Number.isInteger(seconds) || seconds <= 0 || seconds > maxTtl) {
      throw new PersonalAccessTokenError({ kind: 'expiryRange', maxDays: Math.floor(maxTtl / 86400) });
    }
    return now + seconds * 1000;
  }

  private view(row: PersonalAccessToken): PersonalAccessTokenView {
    const status = statusOf(row, this.options.clock.now());
    return {
      id: row.id,
      name: row.name,
      scopes: scopeList(row.scope),
      clientId: row.clientId,
      hint: row.displayHint,
      createdAt: new Date(row.createdAt).toISOString(),
      expiresAt: isoOrNull(row.expiresAt),
      lastUsedAt: isoOrNull(row.lastUsedAt),
      lastUsedIp: row.lastUsedIp,
      revokedAt: isoOrNull(row.revokedAt),
      status,
    };
  }
}
