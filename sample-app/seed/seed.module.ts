import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { SampleSeeder } from './sample-seeder';

/** Demo data; ClientsService and ClientStore come from the global DeviceAuthModule. */
@Module({
  imports: [UsersModule],
  providers: [SampleSeeder],
})
export class SeedModule {}
