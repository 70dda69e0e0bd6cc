import { loadConfig, serviceEnv } from "@symbiont/service-kit";

export const mdmConfigShape = { ...serviceEnv };

export type MdmConfig = ReturnType<typeof loadMdmConfig>;

export function loadMdmConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(mdmConfigShape, env);
}
