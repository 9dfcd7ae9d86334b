import { SetMetadata } from '@nestjs/common';

export const FOR_RESOURCE_METADATA = 'nest-device-auth:for-resource';

/**
 * The resource a route or controller belongs to, by its URL or its path (`@ForResource('/mcp')`):
 * BearerTokenGuard accepts only tokens issued for it (RFC 8707 `aud`) and names its metadata in
 * challenges. Without it a route belongs to `accessToken.audience`. On a handler it replaces the class's.
 */
export const ForResource = (resource: string): ClassDecorator & MethodDecorator => SetMetadata(FOR_RESOURCE_METADATA, resource);
