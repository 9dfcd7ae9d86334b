import type { PersonalAccessTokenRefusal } from '../errors/personal-access-token-refusal';
/** A message that names something: an app, a user, a number of minutes… */
type Template<Values> = (values: Values) => string;

/**
 * Every sentence the pages show, by key: plain text, never HTML (renderers escape it). A message
 * with values is a function of them, so a translation can reorder them or choose a plural.
 * `confirm.*` serves both approval pages: the device flow's confirm page and the code flow's consent page.
 */
export interface DeviceAuthMessages {
  /** BCP 47 tag of this table's language: the pages' `<html lang>`. */
  language: string;

  'common.signedInAs': Template<{ userName: string }>;
  /** The link to the host's home page (`homeUrl`) every error page offers. */
  'common.home': string;
  /** The link back to the code entry page. */
  'common.enterCode': string;

  'enterCode.title': string;
  'enterCode.label': string;
  'enterCode.submit': string;
  /** One answer for unknown codes and codes someone else used, so a guesser learns nothing (RFC 8628 §5.1). */
  'enterCode.invalidCode': string;
  /** A code that was real but is past its lifetime: the user starts again on the device. */
  'enterCode.expiredCode': string;

  /** The `<title>` of an approval page. */
  'confirm.title': Template<{ appName: string }>;
  'confirm.heading': Template<{ appName: string }>;
  'confirm.checkCode': string;
  'confirm.asksTo': string;
  /** The list of scopes when an app asks for none. */
  'confirm.noScopes': string;
  /** How long ago the device asked: "just now", "3 minutes ago". */
  'confirm.age': Template<{ minutes: number }>;
  /** Where the device asked from; `userAgent` is absent when the device sent none. */
  'confirm.requested': Template<{ age: string; address: string; userAgent?: string }>;
  'confirm.unknownAddress': string;
  /** When the request expires: `time` as the clock shows it (`19:26 UTC`), `minutes` from now (0 under a minute). */
  'confirm.expires': Template<{ time: string; minutes: number }>;
  'confirm.ifNotYou': string;
  /** An app known only by its metadata document URL: all this server can vouch for is that URL's host. */
  'confirm.identifiedByUrl': Template<{ host: string }>;
  /** RFC 8707: the one API the app asked access to, as its name and URL (or the URL alone). */
  'confirm.resource': Template<{ resource: string }>;
  'confirm.approve': string;
  'confirm.deny': string;

  /** The consent page: where the browser goes after either answer. */
  'consent.returnTo': Template<{ origin: string }>;

  'result.approved.title': string;
  'result.approved.text': Template<{ appName: string }>;
  'result.denied.title': string;
  'result.denied.text': Template<{ appName: string }>;
  /** This user opens a code they already approved or denied (Back, a reload, the link again). */
  'result.alreadyApproved.title': string;
  'result.alreadyApproved.text': Template<{ appName: string }>;
  'result.alreadyDenied.title': string;
  'result.alreadyDenied.text': Template<{ appName: string }>;

  'wrongAccount.title': string;
  /** `userName` is who is signed in. */
  'wrongAccount.text': Template<{ appName: string; userName: string }>;
  /** The button, when the host gives `logoutUrl`. */
  'wrongAccount.signOut': string;
  /** What to do when the host gives no `logoutUrl`. */
  'wrongAccount.signOutHint': string;

  'error.malformed.title': string;
  'error.malformed.device': string;
  'error.malformed.signIn': string;
  'error.expired.title': string;
  'error.expired.device': string;
  'error.expired.signIn': string;
  'error.tooManyAttempts.title': string;
  /** `minutes`: until the limit lifts (`Retry-After`), rounded up. */
  'error.tooManyAttempts.text': Template<{ minutes: number }>;
  'error.tooManySignIns.text': Template<{ minutes: number }>;
  /** An unknown address under the pages' paths, for a browser. */
  'error.notFound.title': string;
  'error.notFound.text': string;
  /** The database is away (an outage, a restart): the page asks the user to retry shortly. */
  'error.unavailable.title': string;
  'error.unavailable.text': string;
  /** A code-flow request that cannot even be answered to its app (RFC 6749 §4.1.2.1). */
  'error.signIn.title': string;
  /** The host turned the authorization code grant off (`grantTypes`). */
  'error.signIn.notOffered': string;
  'error.signIn.malformed': string;
  'error.signIn.noClient': string;
  'error.signIn.unknownClient': string;
  'error.signIn.unregisteredRedirect': Template<{ appName: string }>;
  /** Follows every `error.signIn.*` sentence: what the user can do. */
  'error.signIn.whatToDo': string;

  'tokens.title': string;
  /** `usage` is the header to send, shown as code. */
  'tokens.intro': Template<{ userName: string; usage: string }>;
  'tokens.created.heading': Template<{ name: string }>;
  'tokens.created.copyNow': string;
  'tokens.created.shownOnce': string;
  /** The copy button beside the new token (shown only where script runs), and what it says once it copied. */
  'tokens.created.copy': string;
  'tokens.created.copied': string;
  /** The page after the token was shown once: a reload, Back, or the link opened again. */
  'tokens.created.noLongerShown': Template<{ name: string }>;
  /** The create form sent a second time (a resend, a double click): nothing new was made. */
  'tokens.created.resent': Template<{ name: string }>;
  'tokens.create.heading': string;
  'tokens.create.name': string;
  'tokens.create.namePlaceholder': string;
  'tokens.create.scopes': string;
  'tokens.create.expiresIn': string;
  'tokens.create.days': Template<{ days: number }>;
  'tokens.create.noExpiry': string;
  'tokens.create.submit': string;
  'tokens.list.heading': string;
  'tokens.list.empty': string;
  'tokens.list.name': string;
  'tokens.list.scopes': string;
  'tokens.list.created': string;
  'tokens.list.lastUsed': string;
  'tokens.list.expires': string;
  'tokens.list.never': string;
  'tokens.list.lastUsedFrom': Template<{ date: string; address: string }>;
  'tokens.list.revoke': string;
  'tokens.list.expired': string;
  'tokens.list.revoked': string;
  /** The page that asks before a token is revoked. */
  'tokens.revoke.title': Template<{ name: string }>;
  'tokens.revoke.text': string;
  'tokens.revoke.confirm': string;
  'tokens.revoke.cancel': string;
  'tokens.revokedNotice': string;
  'tokens.error.expired': string;
  'tokens.error.malformed': string;
  'tokens.error.unknownAction': string;
  'tokens.error.noSuchToken': string;
  /** Why the token was not created, as a sentence that says what to do (the form keeps what was typed). */
  'tokens.error.refusal': Template<PersonalAccessTokenRefusal>;
}

/**
 * The `messages` option: keys that replace the English defaults, or a function choosing them by
 * the request's `Accept-Language` header (see `messagesByLanguage`).
 */
export type DeviceAuthMessagesOption = Partial<DeviceAuthMessages> | ((acceptLanguage: string | undefined) => Partial<DeviceAuthMessages>);
