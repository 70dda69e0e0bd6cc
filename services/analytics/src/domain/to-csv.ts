// Report rows as CSV (RFC 4180: comma-separated, CRLF, quotes doubled), with a header from
// the rows' keys; nested objects become `parent.child` columns. A text cell that a
// spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote.

type Cell = string | number | boolean | null | undefined;

function flatten(row: object, prefix = "", into: Record<string, Cell> = {}): Record<string, Cell> {
  for (const [key, value] of Object.entries(row)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      flatten(value, name, into);
    else into[name] = Array.isArray(value) ? value.join(" ") : (value as Cell);
  }
  return into;
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: readonly object[]): string {
  const flat = rows.map((row) => flatten(row));
  const columns: string[] = [];
  for (const row of flat)
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const lines = [columns.map(cell).join(",")];
  for (const row of flat) lines.push(columns.map((column) => cell(row[column])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
