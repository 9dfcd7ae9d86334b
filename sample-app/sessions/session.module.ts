import { DynamicModule, Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { LoginCsrf, SITE_ORIGIN } from './login-csrf';
import { SESSION_COOKIE_SECURE, SessionService } from './session.service';
import { SessionStore } from './session.store';

/** Browser sessions, one store for the whole app: the pages and DeviceAuthModule's factory (resolveUser) share it; the sign-in form's CSRF guard. */
@Module({})
export class SessionModule {
  /** `issuer`: the site's public URL; an https one makes the session cookie `Secure`. */
  static register(issuer: string): DynamicModule {
    return {
      module: SessionModule,
      global: true,
      imports: [UsersModule],
      providers: [
        SessionStore,
        SessionService,
        LoginCsrf,
        { provide: SESSION_COOKIE_SECURE, useValue: new URL(issuer).protocol === 'https:' },
        { provide: SITE_ORIGIN, useValue: new URL(issuer).origin },
      ],
      exports: [SessionService, LoginCsrf],
    };
  }
}
