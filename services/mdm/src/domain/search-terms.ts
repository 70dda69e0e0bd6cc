/** Lower-case words of letters and digits, for the indexed term search (FerretDB v1 has no $text). */
export function searchTerms(...texts: Array<string | undefined>): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const word of (text ?? "").toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (word.length > 0) terms.add(word);
    }
  }
  return [...terms];
}

/** Attribute filters as indexed `name=value` pairs, values compared as strings. */
export function attributePairs(attributes: Record<string, string | number | boolean>): string[] {
  return Object.entries(attributes).map(
    ([name, value]) => `${name}=${String(value).toLowerCase()}`,
  );
}

/** A regular expression matching `text` literally at the start of a term. */
export function prefixPattern(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
}
