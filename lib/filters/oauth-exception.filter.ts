import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { HttpResponses } from '../pages/http-responses.service';
import { OAuthError } from '../errors/oauth.error';

/** Writes OAuth errors as RFC 6749 §5.2 JSON with their challenge headers; never cached. */
@Catch(OAuthError)
export class OAuthExceptionFilter implements ExceptionFilter {
  constructor(private readonly responses: HttpResponses) {}

  catch(exception: OAuthError, host: ArgumentsHost): void {
    this.responses.json(host.switchToHttp().getResponse(), exception.getStatus(), exception.getResponse() as object, {
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...exception.headers,
    });
  }
}
