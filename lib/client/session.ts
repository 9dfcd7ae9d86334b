import { clientFetch } from './client-fetch';
import { deviceLogin, DeviceLoginOptions } from './device-login';
import { discover, ServerMetadata } from './discovery';
import { LoginRequiredError, OAuthResponseError } from './errors';
import { loopbackLogin, LoopbackLoginOptions } from './loopback-login';
import { LoginResult, postForm, requestTokens } from './token-endpoint';
import { StoredSession, TokenStore } from './token-store';

/** A refresh gives up before the store's lock would count as abandoned (10 s), so no one takes it over mid-refresh. */
const REFRESH_TIMEOUT_MS = 8_000;

export interface DeviceAuthSessionOptions {
  issuer: string;
  clientId: string;
  store: TokenStore;
  /**
   * A token from the environment (e.g. `process.env.SAMPLE_TOKEN`, a `bpat_…` PAT) that takes
   * precedence over the stored session, for non-interactive automation.
   */
  environmentToken?: string;
  /** Refresh this many seconds before the access token expires (default 60). */
  refreshBeforeExpirySeconds?: number;
  /** The CLI's product token, e.g. `acme-cli/1.4.0`, in the User-Agent of every request: logins, refreshes, API calls, logout. */
  userAgent?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * A CLI's signed-in session: `login()` once, then `getAccessToken()` or `fetch()` on every call.
 * Refreshes shortly before expiry, persists the newest refresh token before using the new access
 * token, re-authenticates once on a 401, and revokes on `logout()`.
 */
export class DeviceAuthSession {
  private metadata?: Promise<ServerMetadata>;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: DeviceAuthSessionOptions) {
    this.fetchImpl = clientFetch(options.fetch ?? fetch, options.userAgent);
    this.now = options.now ?? Date.now;
  }

  /** Runs the device flow and stores the session; a session it replaces is revoked (best effort). */
  async login(login: Pick<DeviceLoginOptions, 'scope' | 'onPrompt' | 'signal' | 'sleep'>): Promise<StoredSession> {
    return this.keep(await deviceLogin({ ...login, ...this.client() }));
  }

  /** Runs the browser flow with a loopback redirect (`loopbackLogin`) and stores the session as `login` does. */
  async loopbackLogin(
    login: Pick<LoopbackLoginOptions, 'scope' | 'onUrl' | 'openBrowser' | 'timeoutMs' | 'signal'>,
  ): Promise<StoredSession> {
    return this.keep(await loopbackLogin({ ...login, ...this.client() }));
  }

  /** True when calls will carry a token from the environment rather than the stored session. */
  get usesEnvironmentToken(): boolean {
    return Boolean(this.options.environmentToken);
  }

  /** A valid access token, refreshed first if it expires soon. Throws LoginRequiredError when there is none. */
  async getAccessToken(): Promise<string> {
    if (this.options.environmentToken) return this.options.environmentToken;
    const session = await this.storedSession();
    if (!this.expiresSoon(session)) return session.accessToken;
    return this.refresh(session.accessToken);
  }

  /** `fetch` with the bearer token; after a 401 it refreshes and retries once. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const token = await this.getAccessToken();
    const response = await this.fetchImpl(url, this.withBearer(init, token));
    if (response.status !== 401 || this.options.environmentToken) return response;
    await response.body?.cancel();
    return this.fetchImpl(url, this.withBearer(init, await this.refresh(token)));
  }

  /**
   * Revokes the session's grant at the server (every token of it) and forgets it here. Says what
   * there was to end: `revoked` at the server, only `removed` here (a session of another server or
   * client is never sent to this one: it would leak its token), or `none` stored at all. When the
   * revocation fails the session is removed here all the same, and the error is thrown.
   */
  async logout(): Promise<'revoked' | 'removed' | 'none'> {
    const session = await this.options.store.read();
    try {
      if (!session) return 'none';
      return (await this.revoke(session)) ? 'revoked' : 'removed';
    } finally {
      await this.options.store.clear();
    }
  }

  /** What every login flow needs to know about this session's client. */
  private client() {
    const { issuer, clientId, fetch, userAgent } = this.options;
    return { issuer, clientId, fetch, userAgent, now: this.now };
  }

  /** Stores a login's tokens; a session it replaces is revoked (best effort). */
  private async keep(result: LoginResult): Promise<StoredSession> {
    this.metadata = Promise.resolve(result.metadata);
    const replaced = await this.options.store.read();
    const session: StoredSession = {
      issuer: this.options.issuer,
      clientId: this.options.clientId,
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
      scope: result.scope,
      expiresAt: result.expiresAt,
    };
    await this.options.store.write(session);
    if (replaced) await this.revoke(replaced).catch(() => undefined); // the new session works either way
    return session;
  }

  /**
   * Asks the server to end the stored session's grant; a session of another server or client is
   * never sent here. False when nothing was sent (not ours, or the server offers no revocation).
   */
  private async revoke(session: StoredSession): Promise<boolean> {
    const token = session.refreshToken ?? session.accessToken;
    if (!this.isOurs(session) || !token) return false;
    const revocationEndpoint = (await this.serverMetadata()).revocation_endpoint;
    if (!revocationEndpoint) return false;
    await postForm(revocationEndpoint, { token, client_id: this.options.clientId }, this.fetchImpl);
    return true;
  }

  /**
   * Refreshes under the store's lock. Another process may have refreshed while we waited: if the
   * stored access token is no longer `staleToken`, that newer one is used as is.
   */
  private refresh(staleToken: string): Promise<string> {
    return this.options.store.withLock(async () => {
      const session = await this.storedSession();
      if (session.accessToken !== staleToken && !this.expiresSoon(session)) return session.accessToken;
      if (!session.refreshToken) throw await this.loggedOut('The session has expired; log in again');
      let tokens;
      try {
        tokens = await requestTokens(
          (await this.serverMetadata()).token_endpoint,
          { grant_type: 'refresh_token', refresh_token: session.refreshToken, client_id: this.options.clientId },
          this.now(),
          this.fetchImpl,
          AbortSignal.timeout(REFRESH_TIMEOUT_MS),
        );
      } catch (error) {
        if (error instanceof OAuthResponseError && error.error === 'invalid_grant')
          throw await this.loggedOut('The session has ended; log in again');
        throw error;
      }
      // The old refresh token is spent: persist the new one before anything uses the new access token.
      await this.options.store.write({
        ...session,
        ...tokens,
        refreshToken: tokens.refreshToken ?? session.refreshToken,
        scope: tokens.scope ?? session.scope,
      });
      return tokens.accessToken;
    });
  }

  private async storedSession(): Promise<StoredSession> {
    const session = await this.options.store.read();
    if (!session || !this.isOurs(session)) throw new LoginRequiredError();
    return session;
  }

  private isOurs(session: StoredSession): boolean {
    return session.issuer === this.options.issuer && session.clientId === this.options.clientId;
  }

  private expiresSoon(session: StoredSession): boolean {
    return this.now() >= session.expiresAt - (this.options.refreshBeforeExpirySeconds ?? 60) * 1000;
  }

  private async loggedOut(reason: string): Promise<LoginRequiredError> {
    await this.options.store.clear();
    return new LoginRequiredError(reason);
  }

  private serverMetadata(): Promise<ServerMetadata> {
    this.metadata ??= discover(this.options.issuer, this.fetchImpl);
    return this.metadata;
  }

  private withBearer(init: RequestInit, token: string): RequestInit {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return { ...init, headers };
  }
}
