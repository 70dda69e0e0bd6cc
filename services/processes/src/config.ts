import { loadConfig, serviceEnv } from "@symbiont/service-kit";
import { z } from "zod";
import { parseCallers } from "./auth/callers.js";

const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, "expected an ISO 8601 duration (PT1H)");

export const processesConfigShape = {
  ...serviceEnv,
  /**
   * Who may call the API: `<name>:<role>:<sha256 hex of the token>` per line or comma; roles
   * `manager` (the name is the manager's id: their own tasks) and `admin` (definitions,
   * instances, every task). From a Secret (`secretKeyRef`): the hashes are no credential.
   */
  PROCESSES_CALLERS: z.string().transform((text, context) => {
    const callers = parseCallers(text);
    if (typeof callers === "string") {
      context.addIssue({ code: "custom", message: callers });
      return z.NEVER;
    }
    return callers;
  }),
  /** Folder of the BPMN definitions (and document templates) loaded at start. */
  PROCESSES_DEFINITIONS_DIR: z.string().min(1).optional(),
  /** How long before a meeting its reminder goes out. */
  PROCESSES_REMIND_BEFORE: isoDuration.default("PT2H"),
  /** How long after a meeting its manager has to fill in the checklist. */
  PROCESSES_CHECKLIST_DUE_AFTER: isoDuration.default("PT4H"),
  /** How long the approver has to approve a contract. */
  PROCESSES_APPROVAL_DUE_IN: isoDuration.default("P1D"),
  /** Who approves a manager's contracts: `manager:approver` pairs; others go to the default. */
  PROCESSES_APPROVERS: z
    .string()
    .default("")
    .transform((text) =>
      Object.fromEntries(
        text
          .split(/[\n,]/)
          .map((pair) => pair.trim())
          .filter(Boolean)
          .map((pair) => pair.split(":").map((part) => part.trim())),
      ),
    )
    .pipe(z.record(z.string().min(1), z.string().min(1))),
  PROCESSES_DEFAULT_APPROVER: z.string().min(1).max(128).default("head-of-sales"),
  /** The files sandbox contracts go to (made by files when missing). */
  PROCESSES_CONTRACTS_SANDBOX: z.string().min(3).max(64).default("contracts"),
  /** How often open tasks are checked against their due dates. */
  PROCESSES_OVERDUE_CHECK_MS: z.coerce.number().int().min(100).default(30_000),
  /**
   * Dapr's app API token: when set, event deliveries must carry it (`dapr-api-token`), so only
   * the module's own sidecar can start processes or complete waits.
   */
  APP_API_TOKEN: z.string().min(16).optional(),
};

export type ProcessesConfig = ReturnType<typeof loadProcessesConfig>;

export function loadProcessesConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(processesConfigShape, env);
}
