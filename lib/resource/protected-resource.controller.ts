import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';

/**
 * RFC 9728 protected-resource metadata of the host's API: how a client that knows nothing but the
 * API's URL (an agent, an MCP client) finds the authorization server. Mounted at the address
 * protectedResourceMetadataPath() gives for `accessToken.audience`.
 */
@Controller()
export class ProtectedResourceController {
  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  metadata(): Record<string, unknown> {
    const described = this.options.protectedResource;
    if (!described) throw new NotFoundException('This server describes no protected resource (protectedResource is off)');
    return {
      resource: described.resource,
      authorization_servers: [this.options.issuer],
      scopes_supported: described.scopesSupported,
      // The method RFC 6750 recommends; a form body (§2.2) still works where a client needs it.
      bearer_methods_supported: ['header'],
      ...(described.resourceName === undefined ? {} : { resource_name: described.resourceName }),
    };
  }
}
