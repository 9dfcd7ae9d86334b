import type { ArgumentsHost, ExceptionFilter, Type } from '@nestjs/common';
import { FILTER_CATCH_EXCEPTIONS } from '@nestjs/common/constants';
import { type ApplicationConfig, BaseExceptionFilter, type HttpAdapterHost } from '@nestjs/core';

/** Whether `filter` is declared (`@Catch(...)`) for this exception. */
function catches(filter: ExceptionFilter, exception: unknown): boolean {
  const types = (Reflect.getMetadata(FILTER_CATCH_EXCEPTIONS, filter.constructor) ?? []) as Type[];
  return types.length === 0 || types.some((type) => exception instanceof type);
}

/**
 * What Nest would have done with `exception` had the global filter `from` not been registered:
 * the next global filter Nest asks after it (the last registered is asked first) that is declared
 * for it, else Nest's built-in answer. A filter cannot pass an error on by rethrowing it: Nest
 * catches nothing a filter throws on HTTP (Express leaves an unhandled rejection, Fastify its own 500).
 * Only filters after `from` are asked, so filters that pass on to each other never go round in a circle.
 */
export function passToNextFilter(
  from: ExceptionFilter,
  exception: unknown,
  host: ArgumentsHost,
  applicationConfig: ApplicationConfig,
  adapterHost: HttpAdapterHost,
): unknown {
  const askedInOrder = [...applicationConfig.getGlobalFilters()].reverse();
  const next = askedInOrder.slice(askedInOrder.lastIndexOf(from) + 1).find((filter) => catches(filter, exception));
  if (next) return next.catch(exception, host);
  // Outside HTTP (e.g. a GraphQL resolver) nothing returned means "not handled": Nest's own handler for that context takes it.
  if (host.getType() !== 'http') return undefined;
  // The adapter is looked up now: a host built with Test.createTestingModule has none yet when a filter is made.
  return new BaseExceptionFilter(adapterHost.httpAdapter).catch(exception, host);
}
