// The samples name example hosts for the SSO and the user cabinet (samples/04-front-office.yaml);
// on this machine they are local URLs, known before the apps start (the SSO's issuer and the
// cabinet's redirect URI are configuration).

export interface LocalHosts {
  sso: string;
  cabinet: string;
}

export const exampleHosts: LocalHosts = {
  sso: "https://id.acme.example",
  cabinet: "https://my.acme.example",
};

/** Replaces the samples' example hosts in a value (an env value, a JSON list of clients). */
export function localHosts(value: string, hosts: LocalHosts): string {
  return value
    .replaceAll(exampleHosts.sso, hosts.sso)
    .replaceAll(exampleHosts.cabinet, hosts.cabinet);
}
