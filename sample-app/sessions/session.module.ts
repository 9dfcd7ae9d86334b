import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { SessionService } from './session.service';
import { SessionStore } from './session.store';

/** Browser sessions; imported by the pages and by DeviceAuthModule's factory (resolveUser). */
@Module({
  imports: [UsersModule],
  providers: [SessionStore, SessionService],
  exports: [SessionService],
})
export class SessionModule {}
