import { Injectable } from '@nestjs/common';
import { type DeviceAuthRequest, InjectDeviceAuthOptions, type ResolvedDeviceAuthOptions } from '../../lib';
import { SAMPLE_PAGE_MESSAGES_DE, SAMPLE_PAGE_MESSAGES_EN, SamplePageMessages } from './page-messages';

const TABLES = new Map<string, SamplePageMessages>([
  ['en', SAMPLE_PAGE_MESSAGES_EN],
  ['de', SAMPLE_PAGE_MESSAGES_DE],
]);

/** The sample's own pages speak the language the device-auth pages chose for the same request, so the site never switches mid-flow. */
@Injectable()
export class PageLanguage {
  constructor(@InjectDeviceAuthOptions() private readonly options: ResolvedDeviceAuthOptions) {}

  messagesFor(request: DeviceAuthRequest): SamplePageMessages {
    const language = this.options.messages(request.headers['accept-language']).language.toLowerCase();
    return TABLES.get(language) ?? TABLES.get(language.split('-')[0]) ?? SAMPLE_PAGE_MESSAGES_EN;
  }
}
