import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, of, throwError } from 'rxjs';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { isDatabaseUnavailable } from '../storage/database-unavailable';
import { DatabaseOutagePage } from './database-outage-page';

/**
 * On the pages (verification, consent, API tokens): a database outage during the handler is
 * answered with a 503 page that asks the user to try again shortly, never a 500. The handlers
 * write their pages only after their last query, so nothing has been sent yet.
 */
@Injectable()
export class DatabaseOutagePageInterceptor implements NestInterceptor {
  constructor(private readonly outagePage: DatabaseOutagePage) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!isDatabaseUnavailable(error)) return throwError(() => error);
        const http = context.switchToHttp();
        this.outagePage.send(http.getRequest<DeviceAuthRequest>(), http.getResponse<unknown>());
        return of(undefined);
      }),
    );
  }
}
