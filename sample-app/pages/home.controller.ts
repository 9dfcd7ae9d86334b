import { Controller, Get, Req, Res } from '@nestjs/common';
import type { DeviceAuthRequest } from '../../lib';
import { SessionService } from '../sessions/session.service';
import { renderHomePage } from './home-page';
import { HtmlResponses } from './html-responses';

/** Where users enter a device's code: the device-auth module's default verification path. */
const VERIFICATION_PATH = '/oauth/device';

@Controller()
export class HomeController {
  constructor(
    private readonly sessions: SessionService,
    private readonly html: HtmlResponses,
  ) {}

  @Get()
  async home(@Req() req: DeviceAuthRequest, @Res() res: unknown): Promise<void> {
    this.html.page(res, 200, renderHomePage(await this.sessions.userFromRequest(req), VERIFICATION_PATH));
  }
}
