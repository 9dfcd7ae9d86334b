import { Column, ColumnOptions, ValueTransformer } from 'typeorm';

// PostgreSQL returns bigint as a string; SQLite as a number. Both become a number here.
const epochMillis: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

/**
 * A point in time as milliseconds since the epoch. Portable across SQLite and PostgreSQL and free
 * of time-zone conversions, so conditional updates compare plain numbers.
 */
export function EpochMillisColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'bigint', transformer: epochMillis, ...options });
}
