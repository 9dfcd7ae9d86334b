import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { SampleSeeder } from './sample-seeder';

/** Demo data; ClientsService comes from the global DeviceAuthModule. */
@Module({
  imports: [UsersModule],
  providers: [SampleSeeder],
})
export class SeedModule {}
