import { Injectable } from '@nestjs/common';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { PersonalAccessTokensService } from '../pats/personal-access-tokens.service';
import type { PersonalAccessToken } from '../entities/personal-access-token.entity';
import { AccessTokens, VerifiedAccessToken } from '../tokens/access-token.service';
import { InvalidAccessTokenError } from '../errors/invalid-access-token.error';
import { RevocationCache } from '../tokens/revocation-cache.service';
import { scopeList } from '../protocol/scope';
import type { Principal } from '../tokens/principal';

/** Longer than any token we issue; anything longer is refused before parsing. */
const MAX_TOKEN_LENGTH = 4096;

/**
 * Turns a presented bearer token into a Principal, or throws InvalidAccessTokenError. A token
 * presented again within the caches' lifetime gets the same frozen Principal: the hot path builds
 * nothing per request.
 */
@Injectable()
export class TokenVerifier {
  /** Keyed by the cached verification result, so a principal lives exactly as long as its cache entry. */
  private readonly principals = new WeakMap<VerifiedAccessToken | PersonalAccessToken, Principal>();

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly accessTokens: AccessTokens,
    private readonly revocations: RevocationCache,
    private readonly personalAccessTokens: PersonalAccessTokensService,
  ) {}

  /**
   * The principal of a token presented to `resource` (`accessToken.audience` unless a route names
   * another): a token issued for another resource is refused there (RFC 8707).
   */
  async verify(token: unknown, resource: string = this.options.accessToken.audience): Promise<Principal> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new InvalidAccessTokenError('The access token is malformed');
    const { enabled, prefix } = this.options.personalAccessTokens;
    const principal = enabled && token.startsWith(prefix) ? await this.verifyPersonalAccessToken(token) : await this.verifyJwt(token);
    if (principal.audience !== null && principal.audience !== resource) {
      throw new InvalidAccessTokenError('The access token is for another resource');
    }
    return principal;
  }

  private async verifyJwt(token: string): Promise<Principal> {
    const verified = await this.accessTokens.verify(token);
    if (await this.revocations.isRevoked(verified.grantId)) throw new InvalidAccessTokenError('The access token has been revoked');
    return this.principalOf(verified, () => this.jwtPrincipal(verified));
  }

  private async verifyPersonalAccessToken(token: string): Promise<Principal> {
    const row = await this.personalAccessTokens.verify(token);
    return this.principalOf(row, () => this.personalAccessTokenPrincipal(row));
  }

  private principalOf(source: VerifiedAccessToken | PersonalAccessToken, build: () => Principal): Principal {
    let principal = this.principals.get(source);
    if (!principal) {
      principal = build();
      Object.freeze(principal.scopes);
      this.principals.set(source, Object.freeze(principal));
    }
    return principal;
  }

  private jwtPrincipal(verified: VerifiedAccessToken): Principal {
    const described = {
      clientId: verified.clientId,
      scopes: scopeList(verified.scope),
      tokenKind: 'jwt',
      tokenId: verified.jti,
      expiresAt: new Date(verified.expiresAt * 1000),
      audience: verified.audience,
      actor: verified.actor,
    } as const;
    return verified.userId === null
      ? { subjectKind: 'app', userId: null, ...described }
      : { subjectKind: 'user', userId: verified.userId, ...described };
  }

  private personalAccessTokenPrincipal(row: PersonalAccessToken): Principal {
    return {
      subjectKind: 'user',
      userId: row.userId,
      clientId: row.clientId,
      scopes: scopeList(row.scope),
      tokenKind: 'pat',
      tokenId: row.id,
      expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
      audience: null,
      actor: null,
    };
  }
}
