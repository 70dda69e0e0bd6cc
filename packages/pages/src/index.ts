export { html, escapeHtml, trusted, type Html } from "./html.js";
export { page, type PageOptions } from "./page.js";
