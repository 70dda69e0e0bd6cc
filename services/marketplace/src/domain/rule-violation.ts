import { AppError } from "@symbiont/service-kit";

/** The first rule an offer breaks: its name, its type, the offending field and why. */
export interface RuleViolation {
  rule: string;
  type: string;
  field: string;
  message: string;
}

/** A refusal naming the rule (422): the offer is well-formed, the rules of the game say no. */
export function ruleViolated(violation: RuleViolation, fieldPrefix = "body"): AppError {
  return new AppError({
    status: 422,
    code: "RuleViolated",
    field: `${fieldPrefix}.${violation.field}`,
    message: `the offer breaks rule ${violation.rule}: ${violation.message}`,
    details: { rule: violation.rule, ruleType: violation.type },
  });
}
