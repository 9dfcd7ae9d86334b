// nest-device-auth/client: the CLI side of the device flow and the browser (loopback) flow. No NestJS; Node's fetch.
export { deviceLogin } from './device-login';
export type { DeviceLoginOptions, DevicePrompt } from './device-login';
export { loopbackLogin } from './loopback-login';
export type { LoopbackLoginOptions } from './loopback-login';
export { discover } from './discovery';
export type { ServerMetadata } from './discovery';
export type { LoginResult, TokenSet } from './token-endpoint';
export { defaultCredentialsPath, TokenStore } from './token-store';
export type { StoredSession, TokenStoreOptions } from './token-store';
export { DeviceAuthSession } from './session';
export type { DeviceAuthSessionOptions } from './session';
export { createTerminalPrompt } from './terminal-prompt';
export type { PromptInput, TerminalPrompt, TerminalPromptOptions } from './terminal-prompt';
export {
  AccessDeniedError,
  DeviceAuthClientError,
  DeviceCodeExpiredError,
  LoginCancelledError,
  LoginRequiredError,
  LoginTimeoutError,
  OAuthResponseError,
  ServerUnreachableError,
} from './errors';
