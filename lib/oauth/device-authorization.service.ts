import { Injectable } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { randomUUID } from 'node:crypto';
import { OAuthClient } from '../entities/client.entity';
import { UnauthorizedClientError, UnsupportedGrantTypeError } from '../errors/oauth.error';
import { offers } from '../options/offers';
import { clientAddress } from '../http/client-address';
import { DEVICE_CODE_GRANT_TYPE } from '../protocol/grant-types';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { DeviceAuthorizationStore } from '../storage/device-authorization.store';
import { hmacHex, sha256Hex } from '../tokens/hashing';
import { generateToken } from '../tokens/random-token';
import { TOKEN_PREFIX } from '../protocol/token-prefixes';
import { ServerSecret } from '../tokens/server-secret.service';
import { formatUserCode, generateUserCode } from '../tokens/user-code';
import { requestedResource } from '../resource/resource-indicator';
import type { FormParameters } from '../http/form-parameters';
import { scopeWithin } from '../http/requested-scope';

/** RFC 8628 §3.2 device authorization response. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** A user code that collides with a stored one is drawn again; a few draws always suffice at 2^34 codes. */
const MAX_CODE_DRAWS = 5;

@Injectable()
export class DeviceAuthorizationService {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    private readonly store: DeviceAuthorizationStore,
    private readonly secret: ServerSecret,
  ) {}

  async start(client: OAuthClient, parameters: FormParameters, request: DeviceAuthRequest): Promise<DeviceAuthorizationResponse> {
    if (!offers(this.options, DEVICE_CODE_GRANT_TYPE))
      throw new UnsupportedGrantTypeError('This server does not offer the device authorization grant');
    if (!client.grantTypes.includes(DEVICE_CODE_GRANT_TYPE)) {
      throw new UnauthorizedClientError('This client may not use the device authorization grant');
    }
    const scope = scopeWithin(client.scopes, parameters.scope);
    const resource = requestedResource(this.options, parameters.resource);
    const { ttl, interval } = this.options.deviceCode;
    const key = await this.secret.get();
    for (let draw = 0; draw < MAX_CODE_DRAWS; draw++) {
      const deviceCode = generateToken(TOKEN_PREFIX.deviceCode);
      const userCode = generateUserCode(this.options.deviceCode);
      const now = this.options.clock.now();
      const stored = await this.store.insert({
        id: randomUUID(),
        deviceCodeHash: sha256Hex(deviceCode),
        userCodeHash: hmacHex(key, userCode),
        clientId: client.clientId,
        scope,
        resource,
        status: 'pending',
        userId: null,
        pollInterval: interval,
        lastPolledAt: null,
        lastSlowedDownAt: null,
        requestIp: clientAddress(request),
        requestUserAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
        createdAt: now,
        expiresAt: now + ttl * 1000,
        decidedAt: null,
        consumedAt: null,
        grantId: null,
      });
      if (stored) return this.response(deviceCode, formatUserCode(userCode, this.options.deviceCode));
    }
    throw new Error('Could not draw a unique user code');
  }

  private response(deviceCode: string, userCode: string): DeviceAuthorizationResponse {
    const verificationUri = this.options.issuer + this.options.paths.verification;
    return {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
      expires_in: this.options.deviceCode.ttl,
      interval: this.options.deviceCode.interval,
    };
  }
}
