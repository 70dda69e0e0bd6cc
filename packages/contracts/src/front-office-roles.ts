// The roles the ecosystem's SSO gives people (claim `roles`, with `partner_id` for a
// partner's people) and the cabinets check: one list for both sides.

export const frontOfficeRoles = [
  "customer",
  "marketplace-partner",
  "company-partner",
  "manager",
] as const;
export type FrontOfficeRole = (typeof frontOfficeRoles)[number];
