import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const TABLE = 'device_auth_device_authorizations';

/**
 * When a device code was exchanged and for which grant: the exchange is one transaction, and a
 * poll repeated shortly after (its answer was lost) gets tokens of that same grant.
 */
export class DeviceAuthRepeatableDeviceExchange1764700000000 implements MigrationInterface {
  name = 'DeviceAuthRepeatableDeviceExchange1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(TABLE, [
      new TableColumn({ name: 'consumed_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'grant_id', type: 'varchar', length: '36', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns(TABLE, ['consumed_at', 'grant_id']);
  }
}
