import type { ResolvedDeviceAuthOptions } from './device-auth-options.interface';

/**
 * Whether the host's switch (`grantTypes`) leaves this built-in grant on: how those grants answer
 * `offered()`. Which grants are offered at all, the GrantRegistry answers.
 */
export function offers(options: Pick<ResolvedDeviceAuthOptions, 'grantTypes'>, grantType: string): boolean {
  return (options.grantTypes as string[]).includes(grantType);
}
