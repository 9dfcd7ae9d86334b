import type { ResolvedDeviceAuthOptions } from '../options/device-auth-options.interface';

/** Where the wrong-account page's "Sign out" form posts, and the origins its page's policy must let it post to. */
export interface SignOutForm {
  /** The host's `logoutUrl` for the way back; absent when the host gave none. */
  action?: string;
  /** The sign-out URL's origin when it is absolute: `form-action` must allow it (its own site needs nothing). */
  formTargets: string[];
}

/** The sign-out form that brings the user back to `returnTo` (the same code or sign-in) once signed out. */
export function signOutForm(options: Pick<ResolvedDeviceAuthOptions, 'logoutUrl'>, returnTo: string): SignOutForm {
  if (options.logoutUrl === null) return { formTargets: [] };
  const action = options.logoutUrl(returnTo);
  return { action, formTargets: /^https?:\/\//i.test(action) && URL.canParse(action) ? [new URL(action).origin] : [] };
}
