/** A registration the module refuses, with the reason; `field` says when the redirect URIs are at fault. */
export class ClientRegistrationError extends Error {
  constructor(
    message: string,
    readonly field?: 'redirectUris',
  ) {
    super(message);
  }
}
