// The samples name example hosts for the SSO, the cabinets and partner-sim's OpenID providers
// (samples/04-front-office.yaml); on this machine they are local URLs, known before the apps
// start (the SSO's issuer, the cabinet's redirect URI and the upstreams' issuers are
// configuration).

export interface LocalHosts {
  sso: string;
  cabinet: string;
  /** The marketplace partner cabinet. */
  partners?: string;
  /** The company partner cabinet. */
  company?: string;
  /** partner-sim, whose OpenID providers are the SSO's upstreams. */
  partnerSim?: string;
}

export const exampleHosts: Required<LocalHosts> = {
  sso: "https://id.acme.example",
  cabinet: "https://my.acme.example",
  partners: "https://partners.acme.example",
  company: "https://company.acme.example",
  partnerSim: "https://partner-sim.acme.example",
};

/** Replaces the samples' example hosts in a value (an env value, a JSON list of clients). */
export function localHosts(value: string, hosts: LocalHosts): string {
  let local = value
    .replaceAll(exampleHosts.sso, hosts.sso)
    .replaceAll(exampleHosts.cabinet, hosts.cabinet);
  if (hosts.partners) local = local.replaceAll(exampleHosts.partners, hosts.partners);
  if (hosts.company) local = local.replaceAll(exampleHosts.company, hosts.company);
  if (hosts.partnerSim) local = local.replaceAll(exampleHosts.partnerSim, hosts.partnerSim);
  return local;
}
