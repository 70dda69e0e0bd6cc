import { describe, expect, it } from "vitest";
import { html, trusted } from "./html.js";
import { page } from "./page.js";

describe("html templates", () => {
  it("when a value holds markup, then it is escaped; a nested template is not", () => {
    const name = `<script>alert("x")</script>`;
    const out = html`<p>${name}</p>
      ${html`<b>ok</b>`}`.text;
    expect(out).toContain("<p>&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;</p>");
    expect(out).toContain("<b>ok</b>");
    expect(html`<a title="${`" onmouseover="x`}"></a>`.text).not.toContain('" onmouseover');
  });

  it("when values are lists, undefined or false, then lists join and the others vanish", () => {
    expect(html`${["a", "<b>"]}${undefined}${false}${0}`.text).toBe("a&#60;b&#62;0");
    expect(html`${trusted("<hr>")}`.text).toBe("<hr>");
  });

  it("when a page is rendered, then it has a language, a viewport, one main and the title", () => {
    const out = page({ title: "Catalog", site: "Acme", body: html`<h1>Catalog</h1>` });
    expect(out).toMatch(/^<!doctype html><html lang="en">/);
    expect(out).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1"/);
    expect(out).toContain("<title>Catalog · Acme</title>");
    expect(out.match(/<main/g)).toHaveLength(1);
  });

  it("when a page brings its own style and script, then the style follows the theme and the script ends the body", () => {
    const out = page({
      title: "T",
      site: "S",
      body: html`<h1>T</h1>`,
      style: ".x{color:#000}",
      script: "void 0;",
    });
    expect(out).toMatch(/\.muted\{[^}]*\}\s*\.x\{color:#000\}\s*<\/style>/);
    expect(out).toMatch(/<\/main>\s*<script>void 0;<\/script>\s*<\/body>/);
    expect(page({ title: "T", site: "S", body: html`` })).not.toContain("<script>");
  });
});
