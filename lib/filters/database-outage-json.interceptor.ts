import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { HttpResponses } from '../pages/http-responses.service';
import { isDatabaseUnavailable } from '../storage/database-unavailable';
import { temporarilyUnavailable } from '../errors/temporarily-unavailable.error';

/**
 * On the JSON endpoints (token, device authorization, revoke, introspect, userinfo, the PAT API):
 * a database outage during the handler becomes 503 `temporarily_unavailable` with `Retry-After`,
 * never a 500. Every other error passes unchanged.
 */
@Injectable()
export class DatabaseOutageJsonInterceptor implements NestInterceptor {
  constructor(private readonly responses: HttpResponses) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            isDatabaseUnavailable(error) ? temporarilyUnavailable(this.responses, context.switchToHttp().getResponse()) : error,
          ),
        ),
      );
  }
}
