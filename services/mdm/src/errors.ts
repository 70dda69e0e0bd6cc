import { AppError } from "@symbiont/service-kit";

export { AppError, badRequest, conflict, notFound } from "@symbiont/service-kit";

/** MDM holds no customer data (MISSION C1): a personal field is refused, by name. */
export function personalDataRefused(field: string): AppError {
  return new AppError({
    status: 400,
    code: "PersonalDataRefused",
    field,
    message: `${field}: looks like personal data; master data holds no customer data (keep it in CRM)`,
  });
}
