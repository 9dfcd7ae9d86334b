import { ArgumentsHost, Catch, HttpException, Injectable } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DeviceAuthRequest, isRefusedByPlatform } from '../../lib';
import { LoginForm } from './login-form';

/** The host's own form endpoints; nest-device-auth answers refusals on its paths itself. */
const FORM_PATHS = new Set(['/login', '/logout']);

/**
 * A sign-in form the body parser refused (too large, too deep, an unsupported charset…) never
 * reaches LoginController: it comes here, and gets the sign-in page again instead of Nest's JSON.
 * Everything else gets Nest's built-in answer.
 */
@Catch(HttpException)
@Injectable()
export class RefusedFormFilter extends BaseExceptionFilter {
  constructor(private readonly loginForm: LoginForm) {
    super();
  }

  override catch(exception: HttpException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<DeviceAuthRequest>();
    if (!isRefusedByPlatform(exception) || !FORM_PATHS.has(request.url.split('?')[0])) return super.catch(exception, host);
    const status = exception.getStatus() === 413 ? 413 : 400;
    this.loginForm.send(request, host.switchToHttp().getResponse(), status, { next: '/', error: 'login.unreadable' });
  }
}
