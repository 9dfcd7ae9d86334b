import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { OAuthError } from './oauth.error';

/** Writes OAuth errors as RFC 6749 §5.2 JSON with their challenge headers; never cached. */
@Catch(OAuthError)
export class OAuthExceptionFilter implements ExceptionFilter {
  catch(exception: OAuthError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    for (const [name, value] of Object.entries(exception.headers)) response.setHeader(name, value);
    response.status(exception.getStatus()).json(exception.getResponse());
  }
}
