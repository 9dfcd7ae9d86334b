import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The sample app's own tables; portable types only, so it runs on SQLite and PostgreSQL. */
export class SampleTables1764100000000 implements MigrationInterface {
  name = 'SampleTables1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sample_users',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'username', type: 'varchar', length: '100' },
          { name: 'display_name', type: 'varchar', length: '200' },
          { name: 'password_hash', type: 'varchar', length: '255' },
        ],
        indices: [{ name: 'UQ_sample_users_username', columnNames: ['username'], isUnique: true }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sample_listings',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner_user_id', type: 'varchar', length: '36' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'price_cents', type: 'integer' },
          { name: 'created_at', type: 'bigint' },
        ],
        indices: [{ name: 'IDX_sample_listings_owner_user_id', columnNames: ['owner_user_id'] }],
        foreignKeys: [
          {
            name: 'FK_sample_listings_owner_user_id',
            columnNames: ['owner_user_id'],
            referencedTableName: 'sample_users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sample_listings');
    await queryRunner.dropTable('sample_users');
  }
}
