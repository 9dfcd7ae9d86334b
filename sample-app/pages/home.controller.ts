import { Controller, Get, HttpStatus, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SessionService } from '../sessions/session.service';
import { renderHomePage } from './home-page';
import { sendHtml } from './send-html';

/** Where users enter a device's code: the device-auth module's default verification path. */
const VERIFICATION_PATH = '/oauth/device';

@Controller()
export class HomeController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = await this.sessions.userFromRequest(req);
    sendHtml(res, HttpStatus.OK, renderHomePage(user, VERIFICATION_PATH));
  }
}
