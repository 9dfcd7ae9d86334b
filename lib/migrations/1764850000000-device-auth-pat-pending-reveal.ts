import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** A token created on the API tokens page, held sealed between the form's POST and the page that shows it once. */
export class DeviceAuthPatPendingReveal1764850000000 implements MigrationInterface {
  name = 'DeviceAuthPatPendingReveal1764850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'device_auth_personal_access_tokens',
      new TableColumn({ name: 'pending_reveal', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('device_auth_personal_access_tokens', 'pending_reveal');
  }
}
