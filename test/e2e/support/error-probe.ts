import {
  CanActivate,
  Controller,
  Get,
  Injectable,
  InternalServerErrorException,
  MiddlewareConsumer,
  Module,
  NestModule,
  UseGuards,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

export const ERROR_PROBE_PATH = '/api/v1/error-probe';

/** What node-postgres throws when nothing listens on the database's port. */
export function refusedConnection(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' });
}

/** A host guard whose own lookup (a session, an API key) finds the database refusing connections. */
@Injectable()
class DatabaseBackedGuard implements CanActivate {
  canActivate(): boolean {
    throw refusedConnection();
  }
}

/** A host middleware (loading a session, say) that meets the same outage. */
function databaseBackedMiddleware(): never {
  throw refusedConnection();
}

/** Host routes that fail in the ways a host's code can: a bug, a bad query, a status the code chose, an outage in a guard. */
@Controller(ERROR_PROBE_PATH)
class ErrorProbeController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('bug')
  bug(): never {
    throw new TypeError('a bug in the host');
  }

  /** A database error that is not an outage: the query is wrong, and retrying will not help. */
  @Get('missing-table')
  async missingTable(): Promise<unknown> {
    return this.dataSource.query('SELECT * FROM no_such_table');
  }

  /** The host chose the answer, even though the cause was an outage. */
  @Get('chosen-status')
  chosenStatus(): never {
    throw new InternalServerErrorException('the host chose this', { cause: refusedConnection() });
  }

  @Get('guarded')
  @UseGuards(DatabaseBackedGuard)
  guarded(): string {
    return 'never reached';
  }

  @Get('behind-middleware')
  behindMiddleware(): string {
    return 'never reached';
  }
}

/** Boot it next to the sample app. */
@Module({ controllers: [ErrorProbeController], providers: [DatabaseBackedGuard] })
export class ErrorProbeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(databaseBackedMiddleware).forRoutes(`${ERROR_PROBE_PATH}/behind-middleware`);
  }
}
