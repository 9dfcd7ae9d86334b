import { Body, Controller, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { DeviceAuthRequest, isFormBody } from '../../lib';
import { LoginCsrf } from '../sessions/login-csrf';
import { SessionService } from '../sessions/session.service';
import { UsersService } from '../users/users.service';
import { HtmlResponses } from './html-responses';
import { LoginForm } from './login-form';
import { safeRedirectTarget } from './safe-redirect';

type LoginFields = Record<string, unknown> | undefined;

/** Username and password sign-in for browsers; the device-auth pages send signed-out users here. */
@Controller()
export class LoginController {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionService,
    private readonly csrf: LoginCsrf,
    private readonly loginForm: LoginForm,
    private readonly html: HtmlResponses,
  ) {}

  @Get('login')
  show(@Query('next') next: unknown, @Req() req: DeviceAuthRequest, @Res() res: unknown): void {
    this.loginForm.send(req, res, HttpStatus.OK, { next: safeRedirectTarget(next) });
  }

  @Post('login')
  async submit(@Body() form: LoginFields, @Req() req: DeviceAuthRequest, @Res() res: unknown): Promise<void> {
    const username = typeof form?.username === 'string' ? form.username : '';
    const password = typeof form?.password === 'string' ? form.password : '';
    const next = safeRedirectTarget(form?.next);
    if (!isFormBody(req)) return this.loginForm.send(req, res, HttpStatus.BAD_REQUEST, { next, error: 'login.notAForm' });
    // Before the password is even looked at: a forged form learns nothing and signs no one in.
    if (!this.csrf.isValid(req, form?.csrf_token))
      return this.loginForm.send(req, res, HttpStatus.FORBIDDEN, { next, error: 'login.refused' });
    const user = username !== '' && password !== '' ? await this.users.verifyCredentials(username, password) : null;
    if (user === null) return this.loginForm.send(req, res, HttpStatus.UNAUTHORIZED, { next, username, error: 'login.incorrect' });
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
