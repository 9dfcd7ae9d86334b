import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Tables whose rows carry the RFC 8707 resource a token is asked for, from request to grant. */
const TABLES = ['device_auth_grants', 'device_auth_device_authorizations', 'device_auth_authorization_codes'];

/** The resource (API) tokens are bound to; null keeps today's tokens for `accessToken.audience`. */
export class DeviceAuthResourceIndicators1764500000000 implements MigrationInterface {
  name = 'DeviceAuthResourceIndicators1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'resource', type: 'text', isNullable: true }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.dropColumn(table, 'resource');
  }
}
