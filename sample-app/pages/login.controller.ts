import { Body, Controller, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SessionService } from '../sessions/session.service';
import { UsersService } from '../users/users.service';
import { renderLoginPage } from './login-page';
import { safeRedirectTarget } from './safe-redirect';
import { sendHtml } from './send-html';

type LoginForm = Record<string, unknown> | undefined;

/** Username and password sign-in for browsers; the device-auth pages send signed-out users here. */
@Controller()
export class LoginController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
  ) {}

  @Get('login')
  show(@Query('next') next: unknown, @Res() res: Response): void {
    sendHtml(res, HttpStatus.OK, renderLoginPage({ next: safeRedirectTarget(next) }));
  }

  @Post('login')
  async submit(@Body() form: LoginForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    const username = typeof form?.username === 'string' ? form.username : '';
    const password = typeof form?.password === 'string' ? form.password : '';
    const next = safeRedirectTarget(form?.next);
    const user = username !== '' && password !== '' ? await this.users.verifyCredentials(username, password) : null;
    if (user === null) {
      const page = renderLoginPage({ next, username, error: 'Incorrect username or password.' });
      sendHtml(res, HttpStatus.UNAUTHORIZED, page);
      return;
    }
    this.sessions.signIn(req, res, user.id);
    res.redirect(HttpStatus.SEE_OTHER, next);
  }

  @Post('logout')
  logout(@Req() req: Request, @Res() res: Response): void {
    this.sessions.signOut(req, res);
    res.redirect(HttpStatus.SEE_OTHER, '/');
  }
}
