import { loadConfig, serviceEnv } from "@symbiont/service-kit";
import { z } from "zod";

const { SYMBIONT_PUBSUB_INTERNAL: _internal, ...moduleEnv } = serviceEnv;

/** Which front-office module this process is (MISSION F1-F5): one image, several modules. */
export const frontOfficeModules = [
  "site",
  "landing-wizard",
  "user-cabinet",
  "partner-cabinet",
  "company-partner-cabinet",
] as const;
/** The modules people sign in to (through the ecosystem's SSO). */
export const cabinetModules = [
  "user-cabinet",
  "partner-cabinet",
  "company-partner-cabinet",
] as const;
export type CabinetModule = (typeof cabinetModules)[number];
export type FrontOfficeModule = (typeof frontOfficeModules)[number];

const publicUrl = z.url().transform((url) => url.replace(/\/+$/, ""));

const baseShape = {
  ...moduleEnv,
  /** The corporate bus (a front-office module never sees the internal one). */
  SYMBIONT_PUBSUB_CORPORATE: z.string().min(1),
  FRONT_OFFICE_MODULE: z.enum(frontOfficeModules),
  /** The name shown in the pages' header. */
  FRONT_OFFICE_SITE_NAME: z.string().min(1).default("Acme"),
  /** After how long without news from a core module its data is called late, in seconds. */
  FRONT_OFFICE_LATE_AFTER_SECONDS: z.coerce.number().int().min(1).default(30),
};

const cabinetShape = {
  ...baseShape,
  /** The cabinet's public URL (its redirect URI is `<url>/callback`). */
  CABINET_PUBLIC_URL: publicUrl,
  /** The SSO's issuer URL, as browsers reach it. */
  SSO_ISSUER: publicUrl,
  /** The client id the SSO knows this cabinet by (a public client with PKCE). */
  SSO_CLIENT_ID: z.string().min(1),
  /** The manager a meeting booked in the user cabinet is with (meeting.booked's managerId). */
  CABINET_MEETING_MANAGER: z
    .string()
    .regex(/^[A-Za-z0-9_.:@-]{1,128}$/, "must be 1-128 of A-Z a-z 0-9 _ . : @ -")
    .default("duty-manager"),
  /** Keys that sign the cabinet's session cookie (comma-separated, from a Secret). */
  CABINET_SESSION_KEYS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, "each session key needs 32+ characters")).min(1)),
};

export type BaseConfig = z.output<z.ZodObject<typeof baseShape>>;
export type CabinetConfig = z.output<z.ZodObject<typeof cabinetShape>>;
export type FrontOfficeConfig =
  | (Omit<BaseConfig, "FRONT_OFFICE_MODULE"> & { FRONT_OFFICE_MODULE: "site" | "landing-wizard" })
  | (Omit<CabinetConfig, "FRONT_OFFICE_MODULE"> & { FRONT_OFFICE_MODULE: CabinetModule });

/** The module's configuration; the cabinets need their SSO settings, the others do not. */
export function loadFrontOfficeConfig(env: NodeJS.ProcessEnv = process.env): FrontOfficeConfig {
  const base = loadConfig(baseShape, env);
  const module = base.FRONT_OFFICE_MODULE;
  if ((cabinetModules as readonly string[]).includes(module))
    return { ...loadConfig(cabinetShape, env), FRONT_OFFICE_MODULE: module as CabinetModule };
  return { ...base, FRONT_OFFICE_MODULE: base.FRONT_OFFICE_MODULE as "site" | "landing-wizard" };
}

export type CabinetModuleConfig = Extract<FrontOfficeConfig, { SSO_ISSUER: string }>;

/** Whether this module is one people sign in to (it has the SSO settings). */
export function isCabinetConfig(config: FrontOfficeConfig): config is CabinetModuleConfig {
  return (cabinetModules as readonly string[]).includes(config.FRONT_OFFICE_MODULE);
}
