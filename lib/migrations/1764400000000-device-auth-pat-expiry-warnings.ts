import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Which expiry warning a PAT's owner was last sent, so each threshold is announced once. */
export class DeviceAuthPatExpiryWarnings1764400000000 implements MigrationInterface {
  name = 'DeviceAuthPatExpiryWarnings1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'device_auth_personal_access_tokens',
      new TableColumn({ name: 'expiry_warned_days', type: 'integer', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('device_auth_personal_access_tokens', 'expiry_warned_days');
  }
}
