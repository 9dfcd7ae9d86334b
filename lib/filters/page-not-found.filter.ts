import { ArgumentsHost, Catch, ExceptionFilter, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { passToNextFilter } from './global-filter-chain';
import type { DeviceAuthRequest } from '../protocol/device-auth-request';
import { HttpResponses } from '../pages/http-responses.service';
import { prefersHtml } from '../http/prefers-html';
import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';
import { InjectDeviceAuthOptions } from '../options/inject-options.decorator';
import { DEVICE_AUTH_PAGES, type DeviceAuthPages } from '../pages/device-auth-pages';

const withoutTrailingSlash = (path: string): string => path.replace(/\/+$/, '');

/**
 * A browser that asks for an address at or below one of the pages (`/oauth/device/whatever`) gets a
 * 404 page in its language with a link home, not the JSON a script would get. Requests that do not
 * prefer HTML, and every other path, go on to the filter that would have had them.
 */
@Catch(NotFoundException)
@Injectable()
export class PageNotFoundFilter implements ExceptionFilter {
  private readonly pagePaths: string[];

  constructor(
    @InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions,
    @Inject(DEVICE_AUTH_PAGES) private readonly pages: DeviceAuthPages,
    private readonly responses: HttpResponses,
    private readonly applicationConfig: ApplicationConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    const { verification, authorization, personalAccessTokensPage } = options.paths;
    this.pagePaths = [verification, authorization, personalAccessTokensPage].map(withoutTrailingSlash);
  }

  catch(exception: NotFoundException, host: ArgumentsHost): unknown {
    const request = host.switchToHttp().getRequest<DeviceAuthRequest>();
    if (host.getType() !== 'http' || !this.isUnderPages(request.url) || !prefersHtml(request.headers.accept))
      return passToNextFilter(this, exception, host, this.applicationConfig, this.adapterHost);
    const messages = this.options.messages(request.headers['accept-language']);
    const page = this.pages.message({
      messages,
      title: messages['error.notFound.title'],
      text: messages['error.notFound.text'],
      links: [{ href: this.options.homeUrl, text: messages['common.home'] }],
    });
    this.responses.page(host.switchToHttp().getResponse(), 404, page);
  }

  private isUnderPages(url: string): boolean {
    const path = withoutTrailingSlash(url.split('?')[0]);
    return this.pagePaths.some((pagePath) => path === pagePath || path.startsWith(`${pagePath}/`));
  }
}
