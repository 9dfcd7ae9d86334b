import { applyDecorators, Header } from '@nestjs/common';

/** RFC 6749 §5.1: responses carrying tokens or codes must not be cached. */
export const NoStore = (): MethodDecorator => applyDecorators(Header('Cache-Control', 'no-store'), Header('Pragma', 'no-cache'));
