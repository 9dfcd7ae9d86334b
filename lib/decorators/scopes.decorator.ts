import { SetMetadata } from '@nestjs/common';

export const SCOPES_METADATA = 'nest-device-auth:scopes';

/** Every listed scope is required. On a handler it replaces the class's list. */
export const Scopes = (...scopes: string[]): ClassDecorator & MethodDecorator => SetMetadata(SCOPES_METADATA, scopes);
