import { Inject, Injectable } from '@nestjs/common';
import { OUTAGE_RETRY_AFTER_SECONDS } from '../errors/temporarily-unavailable.error';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from './http-responses.service';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages } from './device-auth-pages';

/**
 * The 503 page of a database outage, in the visitor's language and the host's renderer, with
 * `Retry-After`: one page for the module's pages and, through DatabaseOutageFilter, the host's.
 */
@Injectable()
export class DatabaseOutagePage {
  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
    private readonly responses: HttpResponses,
  ) {}

  send(request: DeviceAuthRequest, response: unknown): void {
    const messages = this.options.messages(request.headers['accept-language']);
    this.responses.setHeader(response, 'Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
    this.responses.page(
      response,
      503,
      this.pages.message({
        messages,
        title: messages['error.unavailable.title'],
        text: messages['error.unavailable.text'],
        links: [{ href: this.options.homeUrl, text: messages['common.home'] }],
      }),
    );
  }
}
