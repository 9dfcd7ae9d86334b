/** Injection token of the validated options (ResolvedDeviceAuthOptions). */
export const DEVICE_AUTH_OPTIONS = Symbol('DEVICE_AUTH_OPTIONS');
