import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import type { ClientType, OAuthClient } from '../entities/client.entity';
import type { FormParameters } from '../http/form-parameters';
import type { TokenResponse } from '../protocol/token-response';

/** What the token endpoint hands a grant: the authenticated client, the request's form parameters, and the request itself. */
export interface TokenRequest {
  client: OAuthClient;
  parameters: FormParameters;
  request: DeviceAuthRequest;
}

/**
 * One grant type of the token endpoint (RFC 6749 §4, or an extension grant, §4.5): the module's own
 * and a host's register the same way, through the `grants` option, and the token endpoint, the
 * metadata, app registration and client ID metadata documents all learn the grant types from them.
 */
export interface TokenGrant {
  /** The `grant_type` value: a name of RFC 6749 or an absolute URI (§4.5). */
  readonly grantType: string;
  /** The form parameters it reads besides `grant_type` and client authentication. */
  readonly parameters: readonly string[];
  /** Which apps may be registered for it: `confidential` ones authenticate with a secret, `public` ones cannot. */
  readonly clientTypes: readonly ClientType[];
  /** Whether its answer may carry a refresh token. */
  readonly issuesRefreshTokens: boolean;
  /** Whether its tokens always speak for a user (false: they may speak for the app itself). */
  readonly needsUser: boolean;
  /** RFC 7591 §2.1: the response types an app registered for it uses (the code grant's `code`); none by default. */
  readonly responseTypes?: readonly string[];
  /**
   * Whether the server offers it, when an option of its own decides (token exchange needs a policy,
   * the built-in grants follow `grantTypes`); asked once, at start-up. A grant without it is offered
   * whenever it is registered.
   */
  offered?(): boolean;
  /** Members it adds to the RFC 8414 metadata while offered, beside its `grant_types_supported` entry. */
  metadata?(): Record<string, unknown>;
  handle(tokenRequest: TokenRequest): Promise<TokenResponse>;
}
