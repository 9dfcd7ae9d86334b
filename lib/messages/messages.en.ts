import type { DeviceAuthMessages } from './messages';

/** "in 12 minutes", "in less than a minute". */
const inMinutes = (minutes: number): string =>
  minutes < 1 ? 'in less than a minute' : minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;

/** The pages' text in English: the default, and the keys every other table overrides. */
export const DEVICE_AUTH_MESSAGES_EN: DeviceAuthMessages = {
  language: 'en',

  'common.signedInAs': ({ userName }) => `Signed in as ${userName}`,
  'common.home': 'Go to the home page',
  'common.enterCode': 'Enter a code',

  'enterCode.title': 'Connect a device',
  'enterCode.label': 'Enter the code shown on your device',
  'enterCode.submit': 'Continue',
  'enterCode.invalidCode': 'That code is not valid. Check the code on your device, or start again there to get a new one.',
  'enterCode.expiredCode': 'That code has expired. Start again on your device to get a new one.',

  'confirm.title': ({ appName }) => `Allow ${appName}?`,
  'confirm.heading': ({ appName }) => `Allow ${appName} to access your account?`,
  'confirm.checkCode': 'Check that your device shows this code:',
  'confirm.asksTo': 'It asks to:',
  'confirm.noScopes': 'sign in as you (no other access)',
  'confirm.age': ({ minutes }) => (minutes < 1 ? 'just now' : minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`),
  'confirm.requested': ({ age, address, userAgent }) => `Requested ${age} from ${address}${userAgent ? ` using ${userAgent}` : ''}.`,
  'confirm.unknownAddress': 'an unknown address',
  'confirm.expires': ({ time, minutes }) => `This request expires at ${time} (${inMinutes(minutes)}).`,
  'confirm.ifNotYou': 'If you did not start this, deny it.',
  'confirm.identifiedByUrl': ({ host }) =>
    `This app is identified only by its web address on ${host}; its name is its own claim, not checked by this site. Approve only if you trust ${host}.`,
  'confirm.resource': ({ resource }) => `The access is limited to ${resource}.`,
  'confirm.approve': 'Approve',
  'confirm.deny': 'Deny',

  'consent.returnTo': ({ origin }) => `Either way you return to ${origin}. If you did not start this sign-in, deny it.`,

  'result.approved.title': 'Device connected',
  'result.approved.text': ({ appName }) => `${appName} can now access your account. Return to your terminal; it will continue by itself.`,
  'result.denied.title': 'Request denied',
  'result.denied.text': ({ appName }) => `${appName} was not given access. You can return to your terminal and close this page.`,
  'result.alreadyApproved.title': 'You already approved this request',
  'result.alreadyApproved.text': ({ appName }) => `${appName} has access to your account. Return to your terminal; it continues by itself.`,
  'result.alreadyDenied.title': 'You already denied this request',
  'result.alreadyDenied.text': ({ appName }) => `${appName} was not given access. To connect it after all, start again on your device.`,

  'wrongAccount.title': 'Wrong account',
  'wrongAccount.text': ({ appName, userName }) =>
    `You are signed in as ${userName}, but ${appName} is a personal app bound to another account. Only that account can approve it.`,
  'wrongAccount.signOut': 'Sign out and use another account',
  'wrongAccount.signOutHint':
    'Sign out of this site, sign in with the account the app belongs to, then open the link from your device again.',

  'error.malformed.title': 'Something went wrong',
  'error.malformed.device': 'The form was incomplete or malformed. Start again from the code on your device.',
  'error.malformed.signIn': 'The form was incomplete or malformed. Start the sign-in again from the app.',
  'error.expired.title': 'Request expired',
  'error.expired.device': 'This form is no longer valid. Open the page again from your device and retry.',
  'error.expired.signIn': 'This form is no longer valid. Start the sign-in again from the app.',
  'error.tooManyAttempts.title': 'Too many attempts',
  'error.tooManyAttempts.text': ({ minutes }) => `Too many wrong codes were entered. Try again ${inMinutes(minutes)}.`,
  'error.tooManySignIns.text': ({ minutes }) => `Too many sign-in requests came from your network. Try again ${inMinutes(minutes)}.`,
  'error.notFound.title': 'Page not found',
  'error.notFound.text': 'There is no page at this address. Check the link, or go on from the home page.',
  'error.unavailable.title': 'Temporarily unavailable',
  'error.unavailable.text': 'This service cannot answer right now. Wait a few seconds, then reload the page.',
  'error.signIn.title': 'Sign-in cannot continue',
  'error.signIn.notOffered': 'This server does not offer sign-in through the authorization code flow.',
  'error.signIn.malformed': 'The sign-in request is malformed.',
  'error.signIn.noClient': 'The sign-in request does not say which app it is for.',
  'error.signIn.unknownClient': 'The app asking you to sign in is not registered here.',
  'error.signIn.unregisteredRedirect': ({ appName }) =>
    `${appName} asked to return to an address it has not registered, so this sign-in stops here.`,
  'error.signIn.whatToDo': 'Return to the app and start the sign-in again. If this keeps happening, tell the app’s developer.',

  'tokens.title': 'API tokens',
  'tokens.intro': ({ userName, usage }) =>
    `Signed in as ${userName}. A token acts as you, with only the scopes you give it: use it as ${usage}.`,
  'tokens.created.heading': ({ name }) => `Your new token “${name}”`,
  'tokens.created.copyNow': 'Copy it now.',
  'tokens.created.shownOnce': 'It will not be shown again; only a digest of it is kept.',
  'tokens.created.copy': 'Copy',
  'tokens.created.copied': 'Copied',
  'tokens.created.noLongerShown': ({ name }) =>
    `The token “${name}” was created. Its value was shown once and is not shown again: if you did not copy it, revoke it and create a new one.`,
  'tokens.created.resent': ({ name }) =>
    `This form was already sent, and the token “${name}” was created then; no second token was made. Its value was shown once: if you did not copy it, revoke it and create a new one.`,
  'tokens.create.heading': 'Create a token',
  'tokens.create.name': 'Name',
  'tokens.create.namePlaceholder': 'e.g. deploy script',
  'tokens.create.scopes': 'Scopes',
  'tokens.create.expiresIn': 'Expires in',
  'tokens.create.days': ({ days }) => `${days} days`,
  'tokens.create.noExpiry': 'No expiry',
  'tokens.create.submit': 'Create token',
  'tokens.list.heading': 'Your tokens',
  'tokens.list.empty': 'You have no tokens yet.',
  'tokens.list.name': 'Name',
  'tokens.list.scopes': 'Scopes',
  'tokens.list.created': 'Created',
  'tokens.list.lastUsed': 'Last used',
  'tokens.list.expires': 'Expires',
  'tokens.list.never': 'never',
  'tokens.list.lastUsedFrom': ({ date, address }) => `${date} from ${address}`,
  'tokens.list.revoke': 'Revoke',
  'tokens.list.expired': 'expired',
  'tokens.list.revoked': 'revoked',
  'tokens.revoke.title': ({ name }) => `Revoke “${name}”?`,
  'tokens.revoke.text': 'Scripts and tools that use this token stop working at once. This cannot be undone.',
  'tokens.revoke.confirm': 'Revoke',
  'tokens.revoke.cancel': 'Cancel',
  'tokens.revokedNotice': 'The token was revoked.',
  'tokens.error.expired': 'This form has expired. Reload the page and try again.',
  'tokens.error.malformed': 'The form was malformed.',
  'tokens.error.unknownAction': 'Unknown action.',
  'tokens.error.noSuchToken': 'No such active token.',
  'tokens.error.refusal': (refusal) => {
    switch (refusal.kind) {
      case 'turnedOff':
        return 'API tokens are turned off on this server.';
      case 'nameLength':
        return `Give the token a name of at most ${refusal.maxLength} characters.`;
      case 'nameControlCharacters':
        return 'The name cannot contain line breaks or other control characters.';
      case 'notPersonalApp':
        return 'A token can be made only for a personal app of yours.';
      case 'noScopes':
        return 'Choose at least one scope.';
      case 'scopesNotAllowed':
        return `You cannot give a token these scopes: ${refusal.scopes}.`;
      case 'noExpiryNotAllowed':
        return 'Choose when the token expires: tokens that never expire are not allowed here.';
      case 'expiryRange':
        return `Choose an expiry between 1 and ${refusal.maxDays} days.`;
    }
  },
};
