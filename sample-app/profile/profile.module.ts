import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { MeController } from './me.controller';
import { TokenInfoController } from './token-info.controller';

@Module({
  imports: [UsersModule],
  controllers: [MeController, TokenInfoController],
})
export class ProfileModule {}
