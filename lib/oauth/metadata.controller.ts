import { Controller, Get, Header, Inject } from '@nestjs/common';
import { TOKEN_GRANTS, TokenGrant } from '../grants/token-grant.interface';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { JWKS_PATH } from './jwks.controller';

const CLIENT_AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'];

/** RFC 8414 authorization server metadata, so clients discover every endpoint from the issuer. */
@Controller('.well-known/oauth-authorization-server')
export class MetadataController {
  private readonly metadata: Record<string, unknown>;

  constructor(@InjectDeviceAuthOptions() options: ResolvedDeviceAuthOptions, @Inject(TOKEN_GRANTS) grants: TokenGrant[]) {
    const { issuer, paths } = options;
    this.metadata = {
      issuer,
      authorization_endpoint: issuer + paths.authorization,
      token_endpoint: issuer + paths.token,
      device_authorization_endpoint: issuer + paths.deviceAuthorization,
      revocation_endpoint: issuer + paths.revocation,
      introspection_endpoint: issuer + paths.introspection,
      jwks_uri: `${issuer}/${JWKS_PATH}`,
      grant_types_supported: grants.map((grant) => grant.grantType),
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: Object.keys(options.scopes),
      token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
    };
  }

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  get(): Record<string, unknown> {
    return this.metadata;
  }
}
