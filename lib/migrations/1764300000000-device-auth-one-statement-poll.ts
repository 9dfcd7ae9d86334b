import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** When a device last heard slow_down, so a pending poll is one UPDATE … RETURNING. */
export class DeviceAuthOneStatementPoll1764300000000 implements MigrationInterface {
  name = 'DeviceAuthOneStatementPoll1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'device_auth_device_authorizations',
      new TableColumn({ name: 'last_slowed_down_at', type: 'bigint', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('device_auth_device_authorizations', 'last_slowed_down_at');
  }
}
