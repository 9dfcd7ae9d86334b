import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { KeyedLock } from '../keyed-lock';
import { UnitOfWork } from '../unit-of-work';
import { InjectDeviceAuthDataSource } from './data-source.token';

/** TypeORM's SQLite drivers hold one connection for the whole process. */
function hasOneConnection(dataSource: DataSource): boolean {
  return dataSource.options.type === 'better-sqlite3' || dataSource.options.type === 'sqljs';
}

/**
 * The one way a state change reaches the database: `run` makes a unit of work one transaction, so
 * a crash leaves it whole or absent (a code consumed together with its grant and tokens, a
 * successor together with its spent parent). The TypeORM stores take their repositories from
 * `repository`, so whatever they do inside a unit joins its transaction; conditional UPDATEs
 * still decide races.
 *
 * On SQLite every statement runs on the process's one connection: a transaction left open across
 * an `await` would swallow any other request's statement. So units, and writes outside a unit
 * (`write`), take turns there; reads do not wait, and may see a unit's rows before its commit.
 */
@Injectable()
export class TypeOrmUnitOfWork implements UnitOfWork {
  private readonly open = new AsyncLocalStorage<EntityManager>();
  private readonly oneWriter: KeyedLock | null;

  constructor(@InjectDeviceAuthDataSource() private readonly dataSource: DataSource) {
    this.oneWriter = hasOneConnection(dataSource) ? new KeyedLock() : null;
  }

  /** Runs `work` as one transaction: committed when it resolves, rolled back when it throws. Joins the unit already open. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.open.getStore()) return work();
    return this.takingTurns(() => this.dataSource.transaction((manager) => this.open.run(manager, work)));
  }

  /** One statement that changes state: atomic by itself, inside the open unit if there is one. */
  write<T>(statement: () => Promise<T>): Promise<T> {
    if (this.open.getStore()) return statement();
    return this.takingTurns(statement);
  }

  /** The repository of `entity` inside the open unit of work, or outside any. */
  repository<Entity extends ObjectLiteral>(entity: EntityTarget<Entity>): Repository<Entity> {
    return (this.open.getStore() ?? this.dataSource.manager).getRepository(entity);
  }

  private takingTurns<T>(work: () => Promise<T>): Promise<T> {
    return this.oneWriter ? this.oneWriter.run(['writer'], work) : work();
  }
}
