import { Injectable } from '@nestjs/common';
import { AuthorizationCode } from '../entities/authorization-code.entity';
import { InvalidGrantError, InvalidRequestError } from '../errors/oauth.error';
import { requiredParameter } from '../http/form-parameters';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { offers } from '../options/offers';
import { refuseOtherResource } from '../resource/resource-indicator';
import { AuthorizationCodeStore } from '../storage/authorization-code.store';
import { GrantStore } from '../storage/grant.store';
import { GrantRevocation } from '../tokens/grant-revocation.service';
import { safeEqual, sha256Hex } from '../tokens/hashing';
import { CODE_VERIFIER_SHAPE, s256Challenge } from '../protocol/pkce';
import { hasValidChecksum } from '../tokens/random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import type { TokenResponse } from '../protocol/token-response';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { AUTHORIZATION_CODE_GRANT_TYPE } from '../protocol/grant-types';
import type { TokenGrant, TokenRequest } from './token-grant.interface';

const INVALID = 'The authorization code is invalid, expired or already used';

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636): the app trades the code for tokens, repeating the
 * redirect URI and proving it holds the verifier. Codes are single use; a code that comes back
 * after its redemption revokes the grant it created (RFC 6749 §4.1.2): whoever replays it may
 * have stolen it, and cannot tell which of the two callers is the app.
 */
@Injectable()
export class AuthorizationCodeGrant implements TokenGrant {
  readonly grantType = AUTHORIZATION_CODE_GRANT_TYPE;
  readonly parameters = ['code', 'redirect_uri', 'code_verifier', 'resource'];
  readonly clientTypes = ['public', 'confidential'] as const;
  readonly issuesRefreshTokens = true;
  readonly needsUser = true;
  /** RFC 7591 §2.1: the code grant goes with the `code` response type. */
  readonly responseTypes = ['code'];

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly codes: AuthorizationCodeStore,
    private readonly grants: GrantStore,
    private readonly issuer: TokenIssuer,
    private readonly revocation: GrantRevocation,
  ) {}

  offered(): boolean {
    return offers(this.options, this.grantType);
  }

  /** RFC 8414 §2 and RFC 9207: the authorization endpoint and how it answers. */
  metadata(): Record<string, unknown> {
    return {
      authorization_endpoint: this.options.issuer + this.options.paths.authorization,
      response_types_supported: this.responseTypes,
      response_modes_supported: ['query'],
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
    };
  }

  async handle({ client, parameters }: TokenRequest): Promise<TokenResponse> {
    const presented = requiredParameter(parameters, 'code');
    const redirectUri = requiredParameter(parameters, 'redirect_uri');
    const verifier = requiredParameter(parameters, 'code_verifier');
    if (!CODE_VERIFIER_SHAPE.test(verifier))
      throw new InvalidRequestError('code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)');
    if (!hasValidChecksum(presented, TOKEN_PREFIX.authorizationCode)) throw new InvalidGrantError(INVALID);
    const code = await this.codes.findByHash(sha256Hex(presented));
    if (!code || code.clientId !== client.clientId) throw new InvalidGrantError(INVALID);
    if (code.redeemedAt !== null) return this.replayed(code);

    const now = this.options.clock.now();
    if (now >= code.expiresAt) throw new InvalidGrantError(INVALID);
    if (code.redirectUri !== redirectUri) throw new InvalidGrantError('redirect_uri differs from the one of the authorization request');
    if (!safeEqual(s256Challenge(verifier), code.codeChallenge))
      throw new InvalidGrantError('code_verifier does not match the code_challenge');
    refuseOtherResource(this.options, code.resource, parameters.resource);

    // The code names its grant in the same transaction that creates it: a replay that finds the
    // code redeemed always finds the grant to revoke, and a crash leaves the code unredeemed.
    const issued = await this.issuer.issueUserGrant(
      client,
      { userId: code.userId, scope: code.scope, resource: code.resource },
      this.grantType,
      { approvedAt: code.approvedAt, nonce: code.nonce },
      { claim: (grant) => this.codes.redeem(code.id, grant.id, now) },
    );
    return issued ?? this.replayed(code);
  }

  private async replayed(code: AuthorizationCode): Promise<never> {
    const redeemed = await this.codes.findById(code.id);
    const grant = redeemed?.grantId ? await this.grants.findById(redeemed.grantId) : null;
    if (grant) await this.revocation.revoke(grant, 'authorization_code_reuse');
    throw new InvalidGrantError(INVALID);
  }
}
