import { Controller, Get, Header, NotFoundException, Req } from '@nestjs/common';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { protectedResourceMetadataPath } from '../protocol/resource-urls';

/**
 * RFC 9728 protected-resource metadata of the host's APIs: how a client that knows nothing but an
 * API's URL (an agent, an MCP client) finds the authorization server. Mounted at the address
 * protectedResourceMetadataPath() gives for each resource (`accessToken.audience`, `resources`).
 */
@Controller()
export class ProtectedResourceController {
  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  metadata(@Req() request: DeviceAuthRequest): Record<string, unknown> {
    if (!this.options.protectedResource) {
      throw new NotFoundException('This server describes no protected resource (protectedResource is off)');
    }
    // Each resource has its own path (a host's global prefix may come before it).
    const path = request.url.split('?')[0].replace(/\/+$/, '');
    const described = this.options.resources.find(({ resource }) => path.endsWith(protectedResourceMetadataPath(resource)));
    if (!described) throw new NotFoundException('No protected resource is described here');
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
