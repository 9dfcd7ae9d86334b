import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from '../tokens/principal';

/** The Principal that BearerTokenGuard verified for this request. */
export const DeviceAuthPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ user: Principal }>().user,
);
