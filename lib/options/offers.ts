import type { ResolvedDeviceAuthOptions } from './device-auth-options.interface';

/** Whether the host offers this grant (options.grantTypes): the one place that answers it. */
export function offers(options: Pick<ResolvedDeviceAuthOptions, 'grantTypes'>, grantType: string): boolean {
  return (options.grantTypes as string[]).includes(grantType);
}
