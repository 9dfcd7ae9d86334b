import type { DeviceAuthRequest } from '../http/device-auth-request';
import { OAuthClient } from '../entities/client.entity';
import type { FormParameters } from '../oauth/form-parameters';
import type { TokenResponse } from '../tokens/token-issuer.service';

export interface TokenRequest {
  client: OAuthClient;
  parameters: FormParameters;
  request: DeviceAuthRequest;
}

/** One grant type of the token endpoint; the controller only dispatches to these. */
export interface TokenGrant {
  readonly grantType: string;
  handle(tokenRequest: TokenRequest): Promise<TokenResponse>;
}

/** Injection token of the list of TokenGrant handlers. */
export const TOKEN_GRANTS = Symbol('TOKEN_GRANTS');
