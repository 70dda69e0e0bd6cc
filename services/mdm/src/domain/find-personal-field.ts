// Names of fields that carry personal data, compared without case, '_' and '-'.
const personalNames = new Set([
  "email",
  "mail",
  "emailaddress",
  "phone",
  "phonenumber",
  "mobile",
  "telephone",
  "firstname",
  "lastname",
  "surname",
  "middlename",
  "fullname",
  "personname",
  "birthdate",
  "dateofbirth",
  "dob",
  "passport",
  "ssn",
  "taxid",
  "address",
  "homeaddress",
  "customer",
  "customerid",
  "customername",
  "loyaltycard",
  "cardnumber",
]);

const emailLike = /[^\s@]+@[^\s@]+\.[a-z]{2,}/i;

/** "email", "ownerEmail", "customer_phone": a personal name, alone or at the end. */
function isPersonalName(key: string): boolean {
  const name = key.toLowerCase().replace(/[_-]/g, "");
  if (personalNames.has(name)) return true;
  for (const personal of personalNames) {
    if (personal.length >= 5 && name.endsWith(personal)) return true;
  }
  return false;
}

/**
 * The path of the first field that looks like personal data (by its name, or an e-mail
 * address as a value), anywhere in the input; undefined when there is none.
 */
export function findPersonalField(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === "string") return emailLike.test(value.trim()) ? path.join(".") : undefined;
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      const found = findPersonalField(entry, [...path, String(index)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, entry] of Object.entries(value)) {
      if (isPersonalName(key)) return [...path, key].join(".");
      const found = findPersonalField(entry, [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
