import { AuthorizationCode } from './authorization-code.entity';
import { OAuthClient } from './client.entity';
import { DeviceAuthorization } from './device-authorization.entity';
import { Grant } from './grant.entity';
import { PersonalAccessToken } from './personal-access-token.entity';
import { RefreshToken } from './refresh-token.entity';
import { SigningKey } from './signing-key.entity';

export { AuthorizationCode, OAuthClient, DeviceAuthorization, Grant, PersonalAccessToken, RefreshToken, SigningKey };
export type { GrantRevocationReason } from './grant.entity';
export type { ClientMode, ClientType } from './client.entity';
export type { DeviceAuthorizationStatus } from './device-authorization.entity';

/** For hosts that list entities by hand instead of `autoLoadEntities: true`. */
export const DEVICE_AUTH_ENTITIES = [
  OAuthClient,
  DeviceAuthorization,
  AuthorizationCode,
  Grant,
  RefreshToken,
  PersonalAccessToken,
  SigningKey,
];
