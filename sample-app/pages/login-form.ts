import { Injectable } from '@nestjs/common';
import type { DeviceAuthRequest } from '../../lib';
import { LoginCsrf } from '../sessions/login-csrf';
import { HtmlResponses } from './html-responses';
import { renderLoginPage } from './login-page';
import { PageLanguage } from './page-language';
import type { SamplePageMessages } from './page-messages';

/** Why the form is shown again: a key of the page's messages. */
export type LoginError = 'login.incorrect' | 'login.notAForm' | 'login.unreadable' | 'login.refused';

/** Sends the sign-in page in the request's language, with this browser's CSRF token in the form and its cookie. */
@Injectable()
export class LoginForm {
  constructor(
    private readonly html: HtmlResponses,
    private readonly csrf: LoginCsrf,
    private readonly language: PageLanguage,
  ) {}

  send(
    request: DeviceAuthRequest,
    response: unknown,
    status: number,
    fields: { next: string; username?: string; error?: LoginError },
  ): void {
    const messages: SamplePageMessages = this.language.messagesFor(request);
    const { token, setCookie } = this.csrf.ticket(request);
    const error = fields.error === undefined ? undefined : messages[fields.error];
    const html = renderLoginPage(messages, { next: fields.next, username: fields.username, error, csrfToken: token });
    this.html.page(response, status, html, { 'Set-Cookie': setCookie });
  }
}
