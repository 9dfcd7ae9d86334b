import { SampleTables1764100000000 } from './1764100000000-sample-tables';

/** The sample app's migrations, run after DEVICE_AUTH_MIGRATIONS. */
export const SAMPLE_MIGRATIONS = [SampleTables1764100000000];
