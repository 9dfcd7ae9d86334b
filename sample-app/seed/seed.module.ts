import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthClient } from '../../lib';
import { UsersModule } from '../users/users.module';
import { SampleSeeder } from './sample-seeder';

/** Demo data; ClientsService comes from the global DeviceAuthModule. */
@Module({
  imports: [UsersModule, TypeOrmModule.forFeature([OAuthClient])],
  providers: [SampleSeeder],
})
export class SeedModule {}
