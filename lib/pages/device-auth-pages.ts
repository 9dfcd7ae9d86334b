import type { DeviceAuthMessages } from '../messages/messages';

/** Injection token of the page renderer in use (the `pages` option, or DefaultDeviceAuthPages). */
export const DEVICE_AUTH_PAGES = Symbol('DEVICE_AUTH_PAGES');

/**
 * Sources a renderer adds to the pages' Content-Security-Policy, e.g. its stylesheet's origin.
 * Checked at start-up: `'self'`, https origins (a path and a `*.` subdomain allowed), hashes
 * (`'sha256-…'`), and `data:` for images and fonts. Never script (only the built-in copy button's,
 * by its hash), never `'unsafe-inline'`; the
 * rest of the policy (`default-src 'none'`, `frame-ancestors 'none'`, `form-action 'self'` plus, on the
 * consent page, the origin its answer redirects to) stays.
 */
export interface PageContentSecurityPolicy {
  styleSrc?: string[];
  imgSrc?: string[];
  fontSrc?: string[];
}

/** A PAT as its owner sees it in listings: never the secret. */
export interface PersonalAccessTokenView {
  id: string;
  name: string;
  scopes: string[];
  clientId: string | null;
  /** Prefix and last four characters. */
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

/** A scope as a user reads it: its name and the host's description. */
export interface ScopeDescription {
  name: string;
  description: string;
}

/** What every page gets: its text, in the language chosen for this request. */
export interface PageView {
  messages: DeviceAuthMessages;
}

export interface SignedInPageView extends PageView {
  /** The signed-in user's name (their id when the host gives no name). */
  userName: string;
}

/** A way on from a page: where the link goes and what it says. */
export interface PageLink {
  href: string;
  text: string;
}

/**
 * The Approve / Deny form of an approval page: a POST to `action` carrying every hidden field
 * unchanged (the CSRF token among them) and `action=approve` or `action=deny` from the button clicked.
 */
export interface DecisionForm {
  action: string;
  hiddenFields: Record<string, string>;
}

/** The device flow's first page: a GET form to `action` with a `user_code` field. */
export interface EnterCodeView extends SignedInPageView {
  action: string;
  /** Why the last code was refused, as text. */
  error?: string;
  /** What the user typed, kept in the field after a refusal so they can correct it. */
  userCode?: string;
  /** Ways on besides the form (after a refusal: the host's home page). */
  links?: PageLink[];
}

/** Both approval pages name the app; one known only by its metadata document URL also shows that URL's host. */
export interface ApprovalView extends SignedInPageView {
  clientName: string;
  /**
   * Set for an app identified only by the URL of its Client ID Metadata Document: that URL's host,
   * which the page must show (the name is the app's own claim; the host is all this server knows).
   */
  clientIdHost?: string;
  /** Set when the app asked for a token for one API (RFC 8707): its name and URL, which the page names. */
  resource?: string;
}

/** The device flow's confirm page: which app, what it asks for, and where the request came from. */
export interface ConfirmView extends ApprovalView {
  scopes: ScopeDescription[];
  /** As the device shows it, e.g. `BCDF-GHJK`. */
  userCode: string;
  requestedMinutesAgo: number;
  /** When the request expires (epoch milliseconds), and how many seconds that is from now. */
  expiresAt: number;
  expiresInSeconds: number;
  requestIp: string | null;
  /** The device's User-Agent header as it came. */
  requestUserAgent: string | null;
  /**
   * What the device says it is, for people: the first product of its User-Agent (`acme-cli 1.4.0`
   * from `acme-cli/1.4.0 nest-device-auth/1.0.0 node/22 linux`), or the whole header when that
   * says nothing (a browser's `Mozilla/5.0 …`, or no product at all).
   */
  requestSoftware: string | null;
  form: DecisionForm;
}

/** After Approve or Deny on the confirm page, or when this user opens a code they already decided. */
export interface ResultView extends PageView {
  approved: boolean;
  clientName: string;
  /** The user decided earlier (Back, a reload, the link again): the page says "You already approved …". */
  decidedBefore?: boolean;
}

/** A page that only says something: a refused form, too many attempts, a sign-in that cannot continue. */
export interface MessageView extends PageView {
  title: string;
  /** What happened and what to do. */
  text: string;
  /** Ways on: the code entry, the host's home page… */
  links?: PageLink[];
}

/** The personal-app rule: only the account the app is bound to may approve it. `userName` is who is signed in. */
export interface WrongAccountView extends SignedInPageView {
  clientName: string;
  /**
   * Where "Sign out and use another account" POSTs (the host's `logoutUrl`, which brings the user back to
   * this same code or sign-in); absent when the host gave none.
   */
  signOutAction?: string;
  links: PageLink[];
}

/** The code flow's consent page. */
export interface ConsentView extends ApprovalView {
  scopes: ScopeDescription[];
  /** The origin the browser returns to after either answer, so the user sees who receives it. */
  returnTo: string;
  form: DecisionForm;
}

/** What the create form of the API tokens page shows filled in: what the user sent, after an error. */
export interface PersonalAccessTokenFormValues {
  name: string;
  scopes: string[];
  /** The chosen lifetime as the select sends it: days, or `never`. */
  expiresInDays: string;
}

/**
 * The "API tokens" page. Its forms POST to `action` with `csrf_token`, and `action=create` (with
 * `name`, `scopes` repeated, `expires_in_days` as days or `never`) or `action=revoke` (with
 * `token_id`). A token's Revoke button is a GET of `action` with `revoke=<id>`, which answers this
 * page with `revoking` set: a page that asks before the revoke form is sent.
 */
export interface PersonalAccessTokensView extends SignedInPageView {
  action: string;
  /** For one form: sending it creates at most one token. */
  csrfToken: string;
  scopes: ScopeDescription[];
  /** Lifetimes offered, in days; `null` for "no expiry". */
  expiryChoices: (number | null)[];
  defaultExpiryDays: number;
  tokens: PersonalAccessTokenView[];
  /** The create form's values after an error, so nothing typed is lost. */
  form?: PersonalAccessTokenFormValues;
  /** The token just created: shown once, here, and never again. */
  created?: { name: string; token: string };
  /** Set to ask whether to revoke this token: render that question (Revoke, Cancel) instead of the list. */
  revoking?: PersonalAccessTokenView;
  error?: string;
  notice?: string;
}

/**
 * Renders the browser pages: each method takes what the page shows and returns a complete HTML
 * document. The module sends it with its security headers (CSP, no framing, no caching). A
 * renderer escapes every value it interpolates. Provide one with the `pages` option;
 * DefaultDeviceAuthPages is the built-in look, to extend or delegate to.
 */
export interface DeviceAuthPages {
  /** Extra sources the pages load styles, images or fonts from. */
  readonly contentSecurityPolicy?: PageContentSecurityPolicy;
  enterCode(view: EnterCodeView): string;
  confirm(view: ConfirmView): string;
  result(view: ResultView): string;
  message(view: MessageView): string;
  wrongAccount(view: WrongAccountView): string;
  consent(view: ConsentView): string;
  personalAccessTokens(view: PersonalAccessTokensView): string;
}

/** The methods a renderer must have, checked at start-up. */
export const DEVICE_AUTH_PAGE_METHODS = [
  'enterCode',
  'confirm',
  'result',
  'message',
  'wrongAccount',
  'consent',
  'personalAccessTokens',
] as const satisfies readonly (keyof DeviceAuthPages)[];
