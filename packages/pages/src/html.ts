// HTML templates as tagged template literals: every interpolated value is escaped unless it
// is itself a template's result, so a page cannot carry markup it did not write.

const escaped = Symbol("escaped html");

export interface Html {
  readonly [escaped]: true;
  readonly text: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (typeof value === "object" && escaped in value) return (value as Html).text;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    text += render(value) + (strings[i + 1] ?? "");
  });
  return { [escaped]: true, text };
}

/** Markup written by the code itself (a constant, never user data). */
export function trusted(text: string): Html {
  return { [escaped]: true, text };
}
