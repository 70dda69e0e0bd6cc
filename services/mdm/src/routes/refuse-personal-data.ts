import { findPersonalField } from "../domain/find-personal-field.js";
import { personalDataRefused } from "../errors.js";

/** Throws before any other check, so the answer says why rather than "unknown field". */
export function refusePersonalData(body: unknown): void {
  const field = findPersonalField(body);
  if (field !== undefined) throw personalDataRefused(`body.${field}`);
}
