import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { HomeController } from './home.controller';
import { HtmlResponses } from './html-responses';
import { LoginController } from './login.controller';

/** The browser-facing pages of the host: home, sign in, sign out (SessionModule is global). */
@Module({
  imports: [UsersModule],
  controllers: [HomeController, LoginController],
  providers: [HtmlResponses],
  exports: [HtmlResponses],
})
export class PagesModule {}
