import { html, trusted, type Html } from "./html.js";

export interface PageOptions {
  title: string;
  /** The site's name in the header. */
  site: string;
  /** Links in the header's navigation. */
  nav?: Array<{ href: string; label: string; current?: boolean }>;
  /** What the signed-in person sees next to the navigation (name, sign-out form). */
  account?: Html;
  body: Html;
  /** Styles of this page only, after the theme (code's own constants, never user data). */
  style?: string;
  /** Scripts of this page only, at the end of the body (code's own constants). */
  script?: string;
}

/**
 * The one layout: a skip link, a header with navigation, one main landmark with the page's
 * h1 inside `body`, and the theme below (contrast 7:1 or more for text, visible focus, a
 * single column on a phone).
 */
export function page(options: PageOptions): string {
  return `<!doctype html>${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <title>${options.title} · ${options.site}</title>
        <style>
          ${trusted(theme + (options.style ?? ""))}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <p class="brand">${options.site}</p>
          ${
            options.nav?.length
              ? html`<nav aria-label="Main">
                  <ul>
                    ${options.nav.map(
                      (item) =>
                        html`<li>
                          <a href="${item.href}" ${item.current ? html` aria-current="page"` : ""}
                            >${item.label}</a
                          >
                        </li>`,
                    )}
                  </ul>
                </nav>`
              : ""
          }
          ${options.account ?? ""}
        </header>
        <main id="main">${options.body}</main>
        ${options.script ? trusted(`<script>${options.script}</script>`) : ""}
      </body>
    </html>`.text
  }`;
}

// Contrast (WCAG): text #1a1a1a on white 17:1, links #0b4fb3 on white 7.6:1, buttons white on
// #0b4fb3 7.6:1, a notice #5c3b00 on #fff4d6 9:1, an error #8b0000 on #fde8e8 8.6:1.
const theme = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
a{color:#0b4fb3}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px}
header{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:center;padding:12px 16px;border-bottom:1px solid #c4c4c4}
.brand{font-weight:700;margin:0}
nav ul{display:flex;flex-wrap:wrap;gap:8px 16px;list-style:none;margin:0;padding:0}
nav a[aria-current]{font-weight:700}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.75rem;margin:0.5em 0}
h2{font-size:1.25rem;margin:1.2em 0 0.4em}
label{display:block;font-weight:600;margin:12px 0 4px}
input,select{font:inherit;padding:8px;border:1px solid #595959;border-radius:4px;width:100%;max-width:24rem}
button,.button{font:inherit;padding:8px 16px;border:0;border-radius:4px;background:#0b4fb3;color:#fff;cursor:pointer;margin-top:12px;text-decoration:none;display:inline-block}
.notice{background:#fff4d6;color:#5c3b00;border-left:4px solid #8a5a00;padding:8px 12px;margin:12px 0}
.error{background:#fde8e8;color:#8b0000;border-left:4px solid #8b0000;padding:8px 12px;margin:12px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px;list-style:none;padding:0}
.cards li{border:1px solid #c4c4c4;border-radius:6px;padding:12px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px;border-bottom:1px solid #c4c4c4}
.muted{color:#4d4d4d}
`;
