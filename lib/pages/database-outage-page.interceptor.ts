import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, of, throwError } from 'rxjs';
import { OUTAGE_RETRY_AFTER_SECONDS } from '../errors/temporarily-unavailable.error';
import type { DeviceAuthRequest } from '../http/device-auth-request';
import { HttpResponses } from '../http/http-responses.service';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { isDatabaseUnavailable } from '../storage/database-unavailable';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages } from './device-auth-pages';

/**
 * On the pages (verification, consent, API tokens): a database outage during the handler is
 * answered with a 503 page that asks the user to try again shortly, never a 500. The handlers
 * write their pages only after their last query, so nothing has been sent yet.
 */
@Injectable()
export class DatabaseOutagePageInterceptor implements NestInterceptor {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
    private readonly responses: HttpResponses,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!isDatabaseUnavailable(error)) return throwError(() => error);
        const http = context.switchToHttp();
        const response = http.getResponse<unknown>();
        const messages = this.options.messages(http.getRequest<DeviceAuthRequest>().headers['accept-language']);
        this.responses.setHeader(response, 'Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
        this.responses.page(
          response,
          503,
          this.pages.message({ messages, title: messages['error.unavailable.title'], text: messages['error.unavailable.text'] }),
        );
        return of(undefined);
      }),
    );
  }
}
