import type { Page } from "playwright-core";
import { expect } from "vitest";

// Accessibility checks of the browser tests, run in the page by chromium.

// Run in the page (chromium): fields without a label, and the contrast ratio (WCAG) of every
// visible text element against the first opaque background behind it.
const auditInPage = `(() => {
  const unlabelled = [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
    .filter((f) => !(f.labels && f.labels.length) && !f.getAttribute("aria-label"))
    .map((f) => f.outerHTML);
  const rgb = (color) => (color.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const luminance = (color) => {
    const [r, g, b] = rgb(color).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const color = getComputedStyle(e).backgroundColor;
      if (color && color !== "transparent" && !color.startsWith("rgba(0, 0, 0, 0)")) return color;
    }
    return "rgb(255, 255, 255)";
  };
  const contrast = [...document.querySelectorAll("p, a, button, label, h1, h2, h3, dd, dt, li")]
    .filter((e) => (e.textContent || "").trim() && e.offsetParent !== null)
    .map((e) => {
      const [a, b] = [luminance(getComputedStyle(e).color), luminance(background(e))];
      return { text: (e.textContent || "").trim().slice(0, 40), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
    });
  const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  return { unlabelled, contrast, overflow };
})()`;

interface Audit {
  unlabelled: string[];
  contrast: Array<{ text: string; ratio: number }>;
  overflow: number;
}

/** Basic accessibility of the page in view: one h1, every field labelled, text contrast. */
export async function checkAccessibility(page: Page): Promise<void> {
  expect(await page.locator("h1").count()).toBe(1);
  expect(await page.getAttribute("html", "lang")).toBe("en");
  const audit = (await page.evaluate(auditInPage)) as Audit;
  expect(audit.unlabelled).toEqual([]);
  expect(audit.contrast.length).toBeGreaterThan(0);
  // WCAG AA for normal text.
  expect(audit.contrast.filter((r) => r.ratio < 4.5)).toEqual([]);
}

/** Nothing wider than a phone's screen (no sideways scrolling). */
export async function fitsThePhone(page: Page): Promise<void> {
  const audit = (await page.evaluate(auditInPage)) as Audit;
  expect(audit.overflow).toBeLessThanOrEqual(0);
}
