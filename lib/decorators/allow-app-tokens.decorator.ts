import { SetMetadata } from '@nestjs/common';

export const ALLOW_APP_TOKENS_METADATA = 'nest-device-auth:allow-app-tokens';

/**
 * Lets tokens an app holds for itself (client credentials, no user) through BearerTokenGuard. Without
 * it a route serves users only, so a user route is never opened to an app by accident.
 */
export const AllowAppTokens = (): ClassDecorator & MethodDecorator => SetMetadata(ALLOW_APP_TOKENS_METADATA, true);
