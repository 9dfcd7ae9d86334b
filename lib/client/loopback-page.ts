import { createHash } from 'node:crypto';
import { preferredLanguages } from '../protocol/accept-language';

/** The pages the loopback listener answers a browser with. */
export type LoopbackPageName = 'notFound' | 'notThisLogin' | 'signedIn' | 'denied' | 'failed';

interface PageText {
  title: string;
  message: string;
}

type Language = 'en' | 'de';

const STATUS: Record<LoopbackPageName, number> = { notFound: 404, notThisLogin: 400, signedIn: 200, denied: 400, failed: 400 };
const MARK: Partial<Record<LoopbackPageName, string>> = {
  signedIn: '<div class="mark ok">✓</div>',
  denied: '<div class="mark no">✕</div>',
};

// Fixed texts only: nothing from the query string is ever reflected into the page.
const TEXTS: Record<Language, Record<LoopbackPageName, PageText>> = {
  en: {
    notFound: { title: 'Not found', message: 'This address only receives the answer to a login.' },
    notThisLogin: {
      title: 'Not this login',
      message: 'This answer belongs to another login (perhaps an older tab). Your terminal is still waiting; use the link it shows.',
    },
    signedIn: { title: 'Signed in', message: 'You can close this tab and return to your terminal.' },
    denied: { title: 'Access denied', message: 'The login was denied. You can close this tab and return to your terminal.' },
    failed: { title: 'Login failed', message: 'Your terminal shows what went wrong. You can close this tab.' },
  },
  de: {
    notFound: { title: 'Nicht gefunden', message: 'Diese Adresse nimmt nur die Antwort auf eine Anmeldung entgegen.' },
    notThisLogin: {
      title: 'Nicht diese Anmeldung',
      message:
        'Diese Antwort gehört zu einer anderen Anmeldung (vielleicht aus einem älteren Tab). Ihr Terminal wartet noch; verwenden Sie den Link, den es anzeigt.',
    },
    signedIn: { title: 'Angemeldet', message: 'Sie können diesen Tab schließen und zu Ihrem Terminal zurückkehren.' },
    denied: {
      title: 'Zugriff abgelehnt',
      message: 'Die Anmeldung wurde abgelehnt. Sie können diesen Tab schließen und zu Ihrem Terminal zurückkehren.',
    },
    failed: { title: 'Anmeldung fehlgeschlagen', message: 'Ihr Terminal zeigt, was schiefgegangen ist. Sie können diesen Tab schließen.' },
  },
};

// The look of the module's pages (system font, a white card centred on grey), self-contained: the
// kit runs in the CLI, apart from the server's pages, and the page loads nothing from anywhere.
const STYLESHEET = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f5f6f8;color:#1d2330;margin:0;line-height:1.5}
main{max-width:30rem;margin:4rem auto;background:#fff;border-radius:12px;padding:2rem;box-shadow:0 2px 12px rgba(0,0,0,.08);text-align:center}
h1{font-size:1.6rem;margin:0 0 .5rem}
p{margin:0}
.mark{width:3rem;height:3rem;line-height:3rem;margin:0 auto 1rem;border-radius:50%;font-size:1.6rem;font-weight:700}
.ok{background:#ecf7ee;color:#1e5a2a}
.no{background:#fdecec;color:#8a1c1c}
@media (max-width:30rem){main{margin:0;border-radius:0;padding:2rem 1.2rem}}
`;
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

/** German when the browser prefers it to English, else English. */
function languageOf(acceptLanguage: string | undefined): Language {
  for (const tag of preferredLanguages(acceptLanguage ?? '')) {
    const primary = tag.split('-')[0];
    if (primary === 'de' || primary === 'en') return primary;
  }
  return 'en';
}

/** A complete answer for the browser: status, headers (no script, no outside resource) and the page. */
export function loopbackPage(
  name: LoopbackPageName,
  acceptLanguage: string | undefined,
): { status: number; headers: Record<string, string>; body: string } {
  const language = languageOf(acceptLanguage);
  const { title, message } = TEXTS[language][name];
  return {
    status: STATUS[name],
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; style-src ${STYLE_SOURCE}`,
      'referrer-policy': 'no-referrer', // the address bar holds the code
      'x-content-type-options': 'nosniff',
    },
    body: `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLESHEET}</style>
</head>
<body><main>
${MARK[name] ?? ''}<h1>${title}</h1>
<p>${message}</p>
</main></body>
</html>
`,
  };
}
