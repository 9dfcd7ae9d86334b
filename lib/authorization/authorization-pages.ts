import { Injectable } from '@nestjs/common';
import { decisionForm, escapeHtml as e, layout, scopeListHtml, ScopeDescription } from '../pages/html';

export interface ConsentPage {
  action: string;
  userName: string;
  clientName: string;
  scopes: ScopeDescription[];
  /** Where the browser goes after the decision, so the user sees which site receives the answer. */
  returnTo: string;
  /** The authorization request, carried through the form unchanged and checked again on submit. */
  parameters: Record<string, string>;
  csrfToken: string;
}

/** The consent page of the code flow, in the verification page's look. Every value is escaped here. */
@Injectable()
export class AuthorizationPages {
  consent(page: ConsentPage): string {
    return layout(
      `Allow ${page.clientName}?`,
      `<h1>Allow <strong>${e(page.clientName)}</strong> to access your account?</h1>
<p class="meta">Signed in as ${e(page.userName)}</p>
<p>It asks to:</p>
${scopeListHtml(page.scopes)}
<p class="meta">Either way you return to ${e(page.returnTo)}. If you did not start this sign-in, deny it.</p>
${decisionForm(page.action, page.parameters, page.csrfToken)}`,
    );
  }
}
