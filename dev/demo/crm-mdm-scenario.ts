// The demo's master data + CRM scene: a catalog item in MDM, two touchpoints of one person
// in CRM (a site form and a phone call, written differently), and the merged profile.

interface ScenarioOptions {
  mdmUrl: string;
  crmUrl: string;
  log: (line: string) => void;
}

async function send<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function runCrmMdmScenario(opts: ScenarioOptions): Promise<void> {
  const { mdmUrl, crmUrl, log } = opts;
  const stamp = Date.now().toString(36);
  const item = await send<{ id: string; name: string; version: number }>(
    "POST",
    `${mdmUrl}/items`,
    {
      sku: `DEMO-SOFA-${stamp}`,
      name: "Corner sofa",
      category: "furniture",
      status: "active",
      price: { amount: 899, currency: "EUR" },
      attributes: { color: "grey", seats: 4 },
    },
  );
  log(
    `MDM: catalog item "${item.name}" ${item.id} at version ${item.version} (mdm.item.changed published)`,
  );

  const first = await send<{ profileId: string; outcome: string }>(
    "POST",
    `${crmUrl}/touchpoints`,
    {
      channel: "site_form",
      identity: { email: `Maria.Ivanova+${stamp}@Example.com`, cookieId: `demo-${stamp}` },
      name: "Maria Ivanova",
      interests: [item.id],
      consent: { email: true },
    },
  );
  log(`CRM: site form -> profile ${first.profileId} (${first.outcome})`);
  const second = await send<{ profileId: string; outcome: string }>(
    "POST",
    `${crmUrl}/touchpoints`,
    {
      channel: "phone_call",
      identity: { email: `maria.ivanova+${stamp}@example.com`, phone: "8 (912) 345-67-89" },
      enteredBy: { kind: "manager", id: "manager-1" },
      consent: { sms: false },
    },
  );
  log(
    `CRM: phone call with the same e-mail, written differently -> profile ${second.profileId} (${second.outcome})`,
  );

  // The catalog name reaches CRM over the bus; give it a moment, then show the profile.
  let profile:
    | {
        id: string;
        kind: string;
        names: string[];
        keys: string[];
        touchpointCount: number;
        interests: Array<{ itemId: string; name?: string }>;
        consent: Record<string, { granted: boolean }>;
      }
    | undefined;
  for (let attempt = 0; attempt < 30; attempt++) {
    profile = await send("GET", `${crmUrl}/customers/${second.profileId}`);
    if (profile?.interests.some((i) => i.name)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!profile) throw new Error("CRM did not return the profile");
  log(
    `CRM: unified profile ${profile.id}: ${profile.touchpointCount} touchpoints, ${profile.kind}, names ${profile.names.join(", ")}`,
  );
  log(`     keys: ${profile.keys.join(", ")}`);
  log(
    `     consent: ${Object.entries(profile.consent)
      .map(([channel, c]) => `${channel}=${c.granted ? "yes" : "no"}`)
      .join(", ")}`,
  );
  log(
    `     interests: ${profile.interests.map((i) => i.name ?? `${i.itemId} (catalog event not arrived yet)`).join(", ")}`,
  );
}
