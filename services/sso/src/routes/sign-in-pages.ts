import { html, page, trusted, type Html } from "@symbiont/pages";

// The SSO's own pages: the sign-in form, the sign-up form, an error. Every field has a label,
// errors are announced (role="alert") and name what to fix.

const site = "Acme ID";

export interface UpstreamButton {
  name: string;
  displayName: string;
  kind: string;
}

export function signInPage(options: {
  uid: string;
  clientName: string;
  upstreams?: UpstreamButton[];
  email?: string;
  error?: string;
}): string {
  const upstreams = options.upstreams ?? [];
  return page({
    title: "Sign in",
    site,
    body: html`<h1>Sign in</h1>
      <p>to continue to ${options.clientName}</p>
      ${errorBox(options.error)}
      <form method="post" action="/interaction/${options.uid}/login">
        <label for="email">E-mail</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value="${options.email ?? ""}"
        />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">Sign in</button>
      </form>
      ${
        upstreams.length
          ? html`<h2>Or sign in with</h2>
              ${upstreams.map(
                (upstream) =>
                  html`<form
                    method="post"
                    action="/interaction/${options.uid}/upstream/${upstream.name}"
                  >
                    <button
                      type="submit"
                      data-upstream="${upstream.name}"
                      data-kind="${upstream.kind}"
                    >
                      ${upstream.displayName}
                    </button>
                  </form>`,
              )}`
          : ""
      }
      <p>No account yet? <a href="/interaction/${options.uid}/signup">Create one</a></p>`,
  });
}

export function signUpPage(options: {
  uid: string;
  email?: string;
  name?: string;
  error?: string;
}): string {
  return page({
    title: "Create an account",
    site,
    body: html`<h1>Create an account</h1>
      ${errorBox(options.error)}
      <form method="post" action="/interaction/${options.uid}/signup">
        <label for="name">Your name</label>
        <input id="name" name="name" autocomplete="name" required value="${options.name ?? ""}" />
        <label for="email">E-mail</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value="${options.email ?? ""}"
        />
        <label for="password">Password (10 characters or more)</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength="10"
          required
        />
        <button type="submit">Create the account and sign in</button>
      </form>
      <p><a href="/interaction/${options.uid}">Back to sign-in</a></p>`,
  });
}

/** oidc-provider's logout confirmation; `form` is its own hidden form (id op.logoutForm). */
export function signOutPage(form: string): string {
  return page({
    title: "Sign out",
    site,
    body: html`<h1>Sign out of Acme ID?</h1>
      ${trusted(form)}
      <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">
        Yes, sign me out
      </button>
      <button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  });
}

export function messagePage(title: string, message: string): string {
  return page({
    title,
    site,
    body: html`<h1>${title}</h1>
      <p>${message}</p>`,
  });
}

function errorBox(error: string | undefined): Html {
  return error ? html`<p class="error" role="alert">${error}</p>` : html``;
}
