import type { DeviceAuthMessages } from './messages';

/** "in 12 Minuten", "in weniger als einer Minute". */
const inMinutes = (minutes: number): string =>
  minutes < 1 ? 'in weniger als einer Minute' : minutes === 1 ? 'in 1 Minute' : `in ${minutes} Minuten`;

/** The pages' text in German: a complete table, shipped as an example and for German-speaking hosts. */
export const DEVICE_AUTH_MESSAGES_DE: DeviceAuthMessages = {
  language: 'de',

  'common.signedInAs': ({ userName }) => `Angemeldet als ${userName}`,
  'common.home': 'Zur Startseite',
  'common.enterCode': 'Code eingeben',

  'enterCode.title': 'Gerät verbinden',
  'enterCode.label': 'Geben Sie den Code ein, den Ihr Gerät anzeigt',
  'enterCode.submit': 'Weiter',
  'enterCode.invalidCode':
    'Dieser Code ist nicht gültig. Prüfen Sie den Code auf Ihrem Gerät oder starten Sie dort neu, um einen neuen zu erhalten.',
  'enterCode.expiredCode': 'Dieser Code ist abgelaufen. Starten Sie auf Ihrem Gerät neu, um einen neuen zu erhalten.',

  'confirm.title': ({ appName }) => `${appName} erlauben?`,
  'confirm.heading': ({ appName }) => `${appName} den Zugriff auf Ihr Konto erlauben?`,
  'confirm.checkCode': 'Prüfen Sie, ob Ihr Gerät diesen Code anzeigt:',
  'confirm.asksTo': 'Die App möchte:',
  'confirm.noScopes': 'Sie anmelden (kein weiterer Zugriff)',
  'confirm.age': ({ minutes }) => (minutes < 1 ? 'gerade eben' : minutes === 1 ? 'vor 1 Minute' : `vor ${minutes} Minuten`),
  'confirm.requested': ({ age, address, userAgent }) => `Angefragt ${age} von ${address}${userAgent ? ` mit ${userAgent}` : ''}.`,
  'confirm.unknownAddress': 'einer unbekannten Adresse',
  'confirm.expires': ({ time, minutes }) => `Diese Anfrage läuft um ${time} ab (${inMinutes(minutes)}).`,
  'confirm.ifNotYou': 'Wenn Sie das nicht veranlasst haben, lehnen Sie ab.',
  'confirm.identifiedByUrl': ({ host }) =>
    `Diese App ist nur durch ihre Webadresse auf ${host} ausgewiesen; ihr Name ist ihre eigene Angabe, von dieser Website nicht geprüft. Erlauben Sie nur, wenn Sie ${host} vertrauen.`,
  'confirm.resource': ({ resource }) => `Der Zugriff gilt nur für ${resource}.`,
  'confirm.approve': 'Erlauben',
  'confirm.deny': 'Ablehnen',

  'consent.returnTo': ({ origin }) =>
    `In beiden Fällen kehren Sie zu ${origin} zurück. Wenn Sie diese Anmeldung nicht gestartet haben, lehnen Sie ab.`,

  'result.approved.title': 'Gerät verbunden',
  'result.approved.text': ({ appName }) =>
    `${appName} hat jetzt Zugriff auf Ihr Konto. Kehren Sie zu Ihrem Terminal zurück; es geht von selbst weiter.`,
  'result.denied.title': 'Anfrage abgelehnt',
  'result.denied.text': ({ appName }) =>
    `${appName} hat keinen Zugriff erhalten. Sie können zu Ihrem Terminal zurückkehren und diese Seite schließen.`,
  'result.alreadyApproved.title': 'Sie haben diese Anfrage bereits erlaubt',
  'result.alreadyApproved.text': ({ appName }) =>
    `${appName} hat Zugriff auf Ihr Konto. Kehren Sie zu Ihrem Terminal zurück; es geht von selbst weiter.`,
  'result.alreadyDenied.title': 'Sie haben diese Anfrage bereits abgelehnt',
  'result.alreadyDenied.text': ({ appName }) =>
    `${appName} hat keinen Zugriff erhalten. Um die App doch zu verbinden, starten Sie auf Ihrem Gerät neu.`,

  'wrongAccount.title': 'Falsches Konto',
  'wrongAccount.text': ({ appName, userName }) =>
    `Sie sind als ${userName} angemeldet, aber ${appName} ist eine persönliche App, die an ein anderes Konto gebunden ist. Nur dieses Konto kann sie erlauben.`,
  'wrongAccount.signOut': 'Abmelden und ein anderes Konto verwenden',
  'wrongAccount.signOutHint':
    'Melden Sie sich auf dieser Website ab, melden Sie sich mit dem Konto an, zu dem die App gehört, und öffnen Sie dann den Link von Ihrem Gerät erneut.',

  'error.malformed.title': 'Etwas ist schiefgelaufen',
  'error.malformed.device': 'Das Formular war unvollständig oder fehlerhaft. Beginnen Sie erneut mit dem Code auf Ihrem Gerät.',
  'error.malformed.signIn': 'Das Formular war unvollständig oder fehlerhaft. Starten Sie die Anmeldung in der App erneut.',
  'error.expired.title': 'Anfrage abgelaufen',
  'error.expired.device':
    'Dieses Formular ist nicht mehr gültig. Öffnen Sie die Seite erneut von Ihrem Gerät aus und versuchen Sie es noch einmal.',
  'error.expired.signIn': 'Dieses Formular ist nicht mehr gültig. Starten Sie die Anmeldung in der App erneut.',
  'error.tooManyAttempts.title': 'Zu viele Versuche',
  'error.tooManyAttempts.text': ({ minutes }) =>
    `Es wurden zu viele falsche Codes eingegeben. Versuchen Sie es ${inMinutes(minutes)} erneut.`,
  'error.tooManySignIns.text': ({ minutes }) =>
    `Aus Ihrem Netz kamen zu viele Anmeldeanfragen. Versuchen Sie es ${inMinutes(minutes)} erneut.`,
  'error.notFound.title': 'Seite nicht gefunden',
  'error.notFound.text': 'Unter dieser Adresse gibt es keine Seite. Prüfen Sie den Link oder machen Sie auf der Startseite weiter.',
  'error.unavailable.title': 'Vorübergehend nicht verfügbar',
  'error.unavailable.text': 'Dieser Dienst kann gerade nicht antworten. Warten Sie einige Sekunden und laden Sie die Seite dann neu.',
  'error.signIn.title': 'Anmeldung kann nicht fortgesetzt werden',
  'error.signIn.notOffered': 'Dieser Server bietet keine Anmeldung über den Autorisierungscode-Ablauf an.',
  'error.signIn.malformed': 'Die Anmeldeanfrage ist fehlerhaft.',
  'error.signIn.noClient': 'Die Anmeldeanfrage nennt keine App.',
  'error.signIn.unknownClient': 'Die App, bei der Sie sich anmelden sollen, ist hier nicht registriert.',
  'error.signIn.unregisteredRedirect': ({ appName }) =>
    `${appName} wollte zu einer Adresse zurückkehren, die sie nicht registriert hat; diese Anmeldung endet daher hier.`,
  'error.signIn.whatToDo':
    'Kehren Sie zur App zurück und starten Sie die Anmeldung erneut. Wenn das wieder passiert, wenden Sie sich an die Entwickler der App.',

  'tokens.title': 'API-Tokens',
  'tokens.intro': ({ userName, usage }) =>
    `Angemeldet als ${userName}. Ein Token handelt in Ihrem Namen, nur mit den Berechtigungen, die Sie ihm geben: Senden Sie es als ${usage}.`,
  'tokens.created.heading': ({ name }) => `Ihr neues Token „${name}“`,
  'tokens.created.copyNow': 'Kopieren Sie es jetzt.',
  'tokens.created.shownOnce': 'Es wird nicht noch einmal angezeigt; gespeichert wird nur ein Hashwert.',
  'tokens.created.copy': 'Kopieren',
  'tokens.created.copied': 'Kopiert',
  'tokens.created.noLongerShown': ({ name }) =>
    `Das Token „${name}“ wurde erstellt. Sein Wert wurde einmal angezeigt und wird nicht noch einmal angezeigt: Falls Sie ihn nicht kopiert haben, widerrufen Sie das Token und erstellen Sie ein neues.`,
  'tokens.created.resent': ({ name }) =>
    `Dieses Formular wurde schon gesendet, und dabei wurde das Token „${name}“ erstellt; ein zweites Token wurde nicht erstellt. Sein Wert wurde einmal angezeigt: Falls Sie ihn nicht kopiert haben, widerrufen Sie das Token und erstellen Sie ein neues.`,
  'tokens.create.heading': 'Token erstellen',
  'tokens.create.name': 'Name',
  'tokens.create.namePlaceholder': 'z. B. Deploy-Skript',
  'tokens.create.scopes': 'Berechtigungen',
  'tokens.create.expiresIn': 'Läuft ab in',
  'tokens.create.days': ({ days }) => `${days} Tagen`,
  'tokens.create.noExpiry': 'Kein Ablauf',
  'tokens.create.submit': 'Token erstellen',
  'tokens.list.heading': 'Ihre Tokens',
  'tokens.list.empty': 'Sie haben noch keine Tokens.',
  'tokens.list.name': 'Name',
  'tokens.list.scopes': 'Berechtigungen',
  'tokens.list.created': 'Erstellt',
  'tokens.list.lastUsed': 'Zuletzt verwendet',
  'tokens.list.expires': 'Läuft ab',
  'tokens.list.never': 'nie',
  'tokens.list.lastUsedFrom': ({ date, address }) => `${date} von ${address}`,
  'tokens.list.revoke': 'Widerrufen',
  'tokens.list.expired': 'abgelaufen',
  'tokens.list.revoked': 'widerrufen',
  'tokens.revoke.title': ({ name }) => `Token „${name}“ widerrufen?`,
  'tokens.revoke.text':
    'Skripte und Werkzeuge, die dieses Token verwenden, funktionieren sofort nicht mehr. Das lässt sich nicht rückgängig machen.',
  'tokens.revoke.confirm': 'Widerrufen',
  'tokens.revoke.cancel': 'Abbrechen',
  'tokens.revokedNotice': 'Das Token wurde widerrufen.',
  'tokens.error.expired': 'Dieses Formular ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es erneut.',
  'tokens.error.malformed': 'Das Formular war fehlerhaft.',
  'tokens.error.unknownAction': 'Unbekannte Aktion.',
  'tokens.error.noSuchToken': 'Kein solches aktives Token.',
  'tokens.error.refusal': (refusal) => {
    switch (refusal.kind) {
      case 'turnedOff':
        return 'API-Tokens sind auf diesem Server abgeschaltet.';
      case 'nameLength':
        return `Geben Sie dem Token einen Namen mit höchstens ${refusal.maxLength} Zeichen.`;
      case 'nameControlCharacters':
        return 'Der Name darf keine Zeilenumbrüche oder anderen Steuerzeichen enthalten.';
      case 'notPersonalApp':
        return 'Ein Token kann nur für eine Ihrer persönlichen Apps erstellt werden.';
      case 'noScopes':
        return 'Wählen Sie mindestens eine Berechtigung.';
      case 'scopesNotAllowed':
        return `Diese Berechtigungen können Sie keinem Token geben: ${refusal.scopes}.`;
      case 'noExpiryNotAllowed':
        return 'Wählen Sie, wann das Token abläuft: Tokens ohne Ablaufdatum sind hier nicht erlaubt.';
      case 'expiryRange':
        return `Wählen Sie eine Laufzeit zwischen 1 und ${refusal.maxDays} Tagen.`;
    }
  },
};
