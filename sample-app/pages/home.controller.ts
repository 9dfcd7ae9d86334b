import { Controller, Get, Req, Res } from '@nestjs/common';
import type { DeviceAuthRequest } from '../../lib';
import { SessionService } from '../sessions/session.service';
import { renderHomePage } from './home-page';
import { HtmlResponses } from './html-responses';
import { PageLanguage } from './page-language';

/** Where users enter a device's code: the device-auth module's default verification path. */
const VERIFICATION_PATH = '/oauth/device';

@Controller()
export class HomeController {
  constructor(
    private readonly sessions: SessionService,
    private readonly html: HtmlResponses,
    private readonly language: PageLanguage,
  ) {}

  @Get()
  async home(@Req() req: DeviceAuthRequest, @Res() res: unknown): Promise<void> {
    const user = await this.sessions.userFromRequest(req);
    this.html.page(res, 200, renderHomePage(this.language.messagesFor(req), user, VERIFICATION_PATH));
  }
}
