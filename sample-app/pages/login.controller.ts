import { Body, Controller, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { DeviceAuthRequest, isFormBody } from '../../lib';
import { SessionService } from '../sessions/session.service';
import { UsersService } from '../users/users.service';
import { HtmlResponses } from './html-responses';
import { renderLoginPage } from './login-page';
import { safeRedirectTarget } from './safe-redirect';

type LoginForm = Record<string, unknown> | undefined;

/** Username and password sign-in for browsers; the device-auth pages send signed-out users here. */
@Controller()
export class LoginController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly html: HtmlResponses,
  ) {}

  @Get('login')
  show(@Query('next') next: unknown, @Res() res: unknown): void {
    this.html.page(res, HttpStatus.OK, renderLoginPage({ next: safeRedirectTarget(next) }));
  }

  @Post('login')
  async submit(@Body() form: LoginForm, @Req() req: DeviceAuthRequest, @Res() res: unknown): Promise<void> {
    const username = typeof form?.username === 'string' ? form.username : '';
    const password = typeof form?.password === 'string' ? form.password : '';
    const next = safeRedirectTarget(form?.next);
    if (!isFormBody(req)) {
      this.html.page(res, HttpStatus.BAD_REQUEST, renderLoginPage({ next, error: 'Send the sign-in form as a form.' }));
      return;
    }
    const user = username !== '' && password !== '' ? await this.users.verifyCredentials(username, password) : null;
    if (user === null) {
      this.html.page(res, HttpStatus.UNAUTHORIZED, renderLoginPage({ next, username, error: 'Incorrect username or password.' }));
      return;
    }
    this.html.redirect(res, next, { 'Set-Cookie': this.sessions.signIn(req, user.id) });
  }

  /**
   * Ends the session and goes to `next` (a path on this site, else home): the device-auth pages'
   * "Sign out and use another account" posts here (`logoutUrl`) to come back to the same code.
   */
  @Post('logout')
  logout(@Query('next') next: unknown, @Req() req: DeviceAuthRequest, @Res() res: unknown): void {
    this.html.redirect(res, safeRedirectTarget(next), { 'Set-Cookie': this.sessions.signOut(req) });
  }
}
