import { stemmer as stemEnglish } from "@orama/stemmers/english";
import { stemmer as stemRussian } from "@orama/stemmers/russian";

// How text becomes search terms, for documents and queries alike: split on anything that is
// not a letter or a digit, lower-case, ё -> е, accents dropped (café = cafe), then a light
// stemmer by script (Snowball Russian for Cyrillic, Porter 2 English for Latin), so
// "договоры" finds "договора" and "contracts" finds "contract".

const separator = /[^\p{L}\p{N}]+/u;
const cyrillic = /\p{Script=Cyrillic}/u;
const latin = /[a-z]/;
const maxTermLength = 40;

export function tokenize(text: string): string[] {
  return text.split(separator).filter(Boolean);
}

/** One token -> its term, or null for tokens too short to search by. */
export function normaliseTerm(token: string): string | null {
  const folded = token
    .toLowerCase()
    .replaceAll("ё", "е")
    // й keeps its breve: the Russian stemmer's endings (-ый, -ий, -ой) need it.
    .replaceAll("й", "\u0000")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replaceAll("\u0000", "й");
  if (folded.length < 2 && !/\p{N}/u.test(folded)) return null;
  if (folded.length > maxTermLength) return folded.slice(0, maxTermLength);
  if (cyrillic.test(folded)) return stemRussian(folded);
  if (latin.test(folded)) return stemEnglish(folded);
  return folded;
}

/** The terms of a text, in order (for tests and for the benchmark's queries). */
export function searchTerms(text: string): string[] {
  return tokenize(text)
    .map(normaliseTerm)
    .filter((term): term is string => term !== null);
}
