import { z } from "zod";
import { parseIdps, type IdpConfig } from "./idp/idp-config.js";

// partner-sim's environment: the admin port and the partners it plays, each on its own
// port (so "down" can really stop listening), with optional HMAC secrets to check
// signatures and to sign webhooks.

export const partnerKinds = [
  "sms",
  "messenger",
  "telephony",
  "acquirer",
  "ads",
  "sso",
  "industry",
  "generic",
] as const;
export type PartnerKind = (typeof partnerKinds)[number];

export interface SimPartner {
  name: string;
  kind: PartnerKind;
  /** 0 = any free port. */
  port: number;
  /** Its HMAC key: verifies the gateway's deliveries and signs its webhooks. */
  secret?: string;
  /** While the key is rotated: the previous key, still accepted on deliveries. */
  previousSecret?: string;
  /** Where a partner that calls back sends its webhooks (the bus gateway's /inbound/<name>). */
  callbackUrl?: string;
}

export interface SimConfig {
  adminPort: number;
  host: string;
  partners: SimPartner[];
  /** OpenID providers served on the admin port at `/idp/<name>` (PARTNER_SIM_IDPS). */
  idps?: IdpConfig[];
  /** The URL browsers and relying parties reach the admin port at (default http://host:port). */
  publicUrl?: string;
}

const partnerSpec = z
  .string()
  .regex(/^[a-z0-9-]+(:[a-z]+)?(@\d+)?$/, "each partner is name[:kind][@port], e.g. sms:sms@8101");

/**
 * PARTNER_SIM_PARTNERS="sms:sms@8101,pay:acquirer@8102"; secrets in PARTNER_SIM_SECRET_<NAME>
 * (and PARTNER_SIM_PREVIOUS_SECRET_<NAME> while rotating), webhook targets in
 * PARTNER_SIM_CALLBACK_URL_<NAME>; OpenID providers in PARTNER_SIM_IDPS (idp/idp-config.ts).
 */
export function loadSimConfig(env: NodeJS.ProcessEnv = process.env): SimConfig {
  const parsed = z
    .object({
      PORT: z.coerce.number().int().min(0).max(65535).default(8090),
      PARTNER_SIM_HOST: z.string().default("127.0.0.1"),
      PARTNER_SIM_PARTNERS: z.string().default("sms:sms"),
      PARTNER_SIM_PUBLIC_URL: z
        .url()
        .transform((url) => url.replace(/\/+$/, ""))
        .optional(),
    })
    .safeParse(env);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    );
  }
  const partners = parsed.data.PARTNER_SIM_PARTNERS.split(",").map((spec) =>
    parseSpec(spec.trim(), env),
  );
  const idps = parseIdps(env.PARTNER_SIM_IDPS, env);
  return {
    adminPort: parsed.data.PORT,
    host: parsed.data.PARTNER_SIM_HOST,
    partners,
    idps,
    ...(parsed.data.PARTNER_SIM_PUBLIC_URL
      ? { publicUrl: parsed.data.PARTNER_SIM_PUBLIC_URL }
      : {}),
  };
}

export function parseSpec(spec: string, env: NodeJS.ProcessEnv = {}): SimPartner {
  const checked = partnerSpec.safeParse(spec);
  if (!checked.success)
    throw new Error(`PARTNER_SIM_PARTNERS: ${spec}: ${checked.error.issues[0]?.message}`);
  const [head, port] = spec.split("@") as [string, string | undefined];
  const [name, kindText] = head.split(":") as [string, string | undefined];
  const kind = (kindText ?? "generic") as PartnerKind;
  if (!partnerKinds.includes(kind))
    throw new Error(
      `PARTNER_SIM_PARTNERS: ${spec}: kind must be one of ${partnerKinds.join(", ")}`,
    );
  const envName = name.toUpperCase().replace(/-/g, "_");
  const secret = env[`PARTNER_SIM_SECRET_${envName}`];
  const previousSecret = env[`PARTNER_SIM_PREVIOUS_SECRET_${envName}`];
  const callbackUrl = env[`PARTNER_SIM_CALLBACK_URL_${envName}`];
  return {
    name,
    kind,
    port: port ? Number(port) : 0,
    ...(secret ? { secret } : {}),
    ...(previousSecret ? { previousSecret } : {}),
    ...(callbackUrl ? { callbackUrl } : {}),
  };
}
