import { html, page } from "@symbiont/pages";
import type { IdpConfig } from "./idp-config.js";
import type { IdpPerson } from "./idp-people.js";

// A simulated provider's own pages: pick a test person (or cancel), and an error.

export function idpSignInPage(options: {
  idp: IdpConfig;
  uid: string;
  clientId: string;
  people: IdpPerson[];
}): string {
  const base = `/idp/${options.idp.name}/interaction/${options.uid}`;
  return page({
    title: "Sign in",
    site: options.idp.displayName,
    body: html`<h1>Sign in to ${options.idp.displayName}</h1>
      <p>${options.clientId} asks who you are. Choose a test person:</p>
      <form method="post" action="${base}/login">
        ${options.people.map(
          (person) =>
            html`<button type="submit" name="sub" value="${person.sub}">
              ${person.name}${person.email ? html` (${person.email})` : ""}
            </button>`,
        )}
      </form>
      <form method="post" action="${base}/abort">
        <button type="submit">Cancel</button>
      </form>`,
  });
}

export function idpMessagePage(idp: IdpConfig, title: string, message: string): string {
  return page({
    title,
    site: idp.displayName,
    body: html`<h1>${title}</h1>
      <p>${message}</p>`,
  });
}
