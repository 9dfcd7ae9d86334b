import { Controller, Get, UseGuards } from '@nestjs/common';
import { BearerTokenGuard, DeviceAuthPrincipal, ForResource, Scopes, UserPrincipal } from '../../lib';

/** The agent API's path, and with the issuer in front, its resource URL (RFC 8707). */
export const AGENT_API_PATH = '/mcp';

/**
 * A second API of the sample host, standing in for an MCP server: a resource of its own, so only
 * tokens issued for it (`resource=<issuer>/mcp`, their `aud`) pass here, and tokens for
 * `/api/v1` do not. Its RFC 9728 metadata is at `/.well-known/oauth-protected-resource/mcp`.
 */
@Controller(AGENT_API_PATH)
@UseGuards(BearerTokenGuard)
@ForResource(AGENT_API_PATH)
export class AgentApiController {
  @Get('whoami')
  @Scopes('user:read')
  whoami(@DeviceAuthPrincipal() who: UserPrincipal): Pick<UserPrincipal, 'userId' | 'clientId' | 'scopes' | 'audience'> {
    return { userId: who.userId, clientId: who.clientId, scopes: who.scopes, audience: who.audience };
  }
}
