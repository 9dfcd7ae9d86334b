import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { HomeController } from './home.controller';
import { HtmlResponses } from './html-responses';
import { LoginController } from './login.controller';
import { LoginForm } from './login-form';
import { PageLanguage } from './page-language';

/** The browser-facing pages of the host: home, sign in, sign out (SessionModule is global). */
@Module({
  imports: [UsersModule],
  controllers: [HomeController, LoginController],
  providers: [HtmlResponses, PageLanguage, LoginForm],
  exports: [LoginForm],
})
export class PagesModule {}
