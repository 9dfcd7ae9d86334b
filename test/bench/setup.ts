import type { LoadResult } from './load-spec';
import type { OidcProviderServer } from './oidc-provider';
import type { OurServer } from './our-server';
import type { BenchSettings } from './report';
import { Contender, inRounds } from './rounds';

/** One platform and database of this library's server, with node-oidc-provider beside it. */
export interface Setup {
  /** e.g. `Express, SQLite file`. */
  name: string;
  ours: OurServer;
  theirs: OidcProviderServer;
  settings: BenchSettings;
}

/** Measures one scenario's contenders in rounds, printing each measurement as it lands. */
export function measure(setup: Setup, scenario: string, contenders: Contender[]): Promise<LoadResult[][]> {
  return inRounds(contenders, {
    rounds: setup.settings.rounds,
    onResult: (label: string, result: LoadResult) =>
      console.error(
        `[${setup.name}] ${scenario}, ${label}: ${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms, ` +
          `load process at ${Math.round(result.loaderCpu * 100)}% of a core`,
      ),
  });
}
