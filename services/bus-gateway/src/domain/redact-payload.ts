import type { RedactRule } from "../config.js";

// Redaction of JSON paths on export (A4): `remove` deletes the field, `mask` replaces a
// value with asterisks, keeping the last 2 characters of strings of 6+ characters.
// Paths: `$.a.b`, `$.items[*].c`, `$.items[0]`. A path that does not match is not an error.

type Segment = { kind: "key"; key: string } | { kind: "index"; index: number } | { kind: "all" };

export function parseJsonPath(path: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\*\]/g;
  let consumed = 1;
  for (const match of path.slice(1).matchAll(pattern)) {
    consumed += match[0].length;
    if (match[1] !== undefined) segments.push({ kind: "key", key: match[1] });
    else if (match[2] !== undefined) segments.push({ kind: "index", index: Number(match[2]) });
    else segments.push({ kind: "all" });
  }
  if (!path.startsWith("$") || consumed !== path.length || segments.length === 0) {
    throw new Error(`unsupported JSON path ${path}`);
  }
  return segments;
}

export function maskValue(value: unknown): unknown {
  if (typeof value === "string")
    return value.length >= 6 ? `${"*".repeat(value.length - 2)}${value.slice(-2)}` : "***";
  if (value === null || value === undefined) return value;
  return "***";
}

/** A deep copy of `payload` with every rule applied; the input is not changed. */
export function redactPayload(payload: unknown, rules: readonly RedactRule[]): unknown {
  if (rules.length === 0) return payload;
  const copy: unknown = structuredClone(payload);
  for (const rule of rules) apply(copy, parseJsonPath(rule.path), rule.action);
  return copy;
}

function apply(node: unknown, segments: Segment[], action: RedactRule["action"]): void {
  const [head, ...rest] = segments;
  if (!head || node === null || typeof node !== "object") return;
  const children: Array<[string | number, unknown]> = [];
  if (head.kind === "key" && !Array.isArray(node) && Object.hasOwn(node, head.key)) {
    children.push([head.key, (node as Record<string, unknown>)[head.key]]);
  } else if (head.kind === "index" && Array.isArray(node) && head.index < node.length) {
    children.push([head.index, node[head.index]]);
  } else if (head.kind === "all" && Array.isArray(node)) {
    node.forEach((value, index) => children.push([index, value]));
  }
  for (const [key, value] of children) {
    if (rest.length > 0) {
      apply(value, rest, action);
    } else if (action === "mask") {
      (node as Record<string | number, unknown>)[key] = maskValue(value);
    } else if (Array.isArray(node)) {
      // Removing from an array would shift later elements' paths: null keeps positions.
      node[key as number] = null;
    } else {
      delete (node as Record<string, unknown>)[key as string];
    }
  }
}
