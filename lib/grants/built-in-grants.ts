import type { Type } from '@nestjs/common';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { DeviceCodeGrant } from './device-code.grant';
import { JwtBearerGrant } from './jwt-bearer.grant';
import { RefreshTokenGrant } from './refresh-token.grant';
import { TokenExchangeGrant } from './token-exchange.grant';
import type { TokenGrant } from './token-grant.interface';

/**
 * The module's own grants, registered before the host's `grants` and the same way: a new one is its
 * file and a line here. Each decides whether it is offered (`grantTypes`, or an option of its own).
 */
export const BUILT_IN_GRANTS: readonly Type<TokenGrant>[] = [
  DeviceCodeGrant,
  RefreshTokenGrant,
  ClientCredentialsGrant,
  AuthorizationCodeGrant,
  TokenExchangeGrant,
  JwtBearerGrant,
];
