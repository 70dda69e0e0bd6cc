import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import { call, startModule, type RunningModule } from "../../dev/stack/service-stack.js";

// The CRM API (MISSION C2) as a client sees it: merges and their undo, suggestions the
// customer confirms, consent, and refusals of bad input that store nothing.

const run = randomBytes(3).toString("hex");
let dir: string;
let ferret: FerretDb;
let crm: RunningModule;
let db: Connection;

interface Resolution {
  touchpointId: string;
  profileId: string;
  outcome: string;
}
interface Profile {
  id: string;
  status: string;
  keys: string[];
  names: string[];
  touchpointCount: number;
  resolvedFrom?: string;
  consent: Record<string, { granted: boolean }>;
}
interface Merge {
  id: string;
  survivorId: string;
  absorbedIds: string[];
  rule: string;
  actor: { kind: string; id?: string };
}
interface Failure {
  error: { code: string; field?: string };
}

const touch = (body: Record<string, unknown>) =>
  call<Resolution>("POST", `${crm.url}/touchpoints`, body);
const profile = (id: string) => call<Profile>("GET", `${crm.url}/customers/${id}`);

async function stored(): Promise<number> {
  const counts = await Promise.all(
    ["touchpoints", "profiles", "identity_keys", "merges", "merge_suggestions"].map((c) =>
      db.collection(c).countDocuments(),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "symbiont-crm-api-"));
  ferret = await startFerretDb({ dir, backend: "sqlite" });
  crm = await startModule({
    service: "crm",
    appId: `crm-${run}`,
    dir,
    databaseUrl: `${ferret.uri}crm`,
    pubsubName: `test-${run}-internal-bus`,
    pubsub: "in-memory",
    env: { MAX_BODY_BYTES: "8192" },
  });
  db = await mongoose.createConnection(`${ferret.uri}crm`).asPromise();
});

afterAll(async () => {
  await db?.close();
  await crm?.stop();
  await ferret?.stop();
  if (dir && !process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe("CRM merges and their undo", () => {
  it("when a touchpoint links two profiles by e-mail, then they merge, the old id still finds the person, and the merge is in the history", async () => {
    const byCard = await touch({
      channel: "loyalty_card",
      identity: { loyaltyCard: `LC-${run}-1` },
      name: "Boris Kim",
    });
    const byMail = await touch({
      channel: "site_form",
      identity: { email: `boris-${run}@example.com` },
      name: "Boris Kim",
    });
    expect(byCard.body.profileId).not.toBe(byMail.body.profileId);
    const bridge = await touch({
      channel: "office_visit",
      identity: { loyaltyCard: `lc ${run}-1`, email: `Boris-${run}@Example.com` },
    });
    expect(bridge.body).toMatchObject({ outcome: "merged", profileId: byCard.body.profileId });

    const old = await profile(byMail.body.profileId);
    expect(old.body).toMatchObject({
      id: byCard.body.profileId,
      resolvedFrom: byMail.body.profileId,
      touchpointCount: 3,
    });
    const history = await call<{ merges: Merge[] }>(
      "GET",
      `${crm.url}/customers/${byCard.body.profileId}/merges`,
    );
    expect(history.body.merges).toEqual([
      expect.objectContaining({
        survivorId: byCard.body.profileId,
        absorbedIds: [byMail.body.profileId],
        rule: "card+email",
        actor: { kind: "system" },
      }),
    ]);
  });

  it("when a manager undoes a merge, then both profiles are back as before and the same keys do not merge them again", async () => {
    const a = await touch({
      channel: "site_form",
      identity: { email: `vera-${run}@example.com` },
      name: "Vera Lis",
    });
    const b = await touch({
      channel: "phone_call",
      identity: { phone: "+7 913 111 22 33" },
      name: "Vera Lisova",
    });
    const bridge = await touch({
      channel: "messenger",
      identity: { email: `vera-${run}@example.com`, phone: "89131112233" },
    });
    expect(bridge.body.outcome).toBe("merged");
    const [merge] = (
      await call<{ merges: Merge[] }>("GET", `${crm.url}/customers/${a.body.profileId}/merges`)
    ).body.merges;

    const undone = await call("POST", `${crm.url}/merges/${merge!.id}/undo`, {
      by: { kind: "manager", id: "manager-7" },
    });
    expect(undone.status).toBe(200);
    const [first, second] = await Promise.all([
      profile(a.body.profileId),
      profile(b.body.profileId),
    ]);
    expect(first.body).toMatchObject({
      id: a.body.profileId,
      status: "active",
      names: ["Vera Lis"],
    });
    expect(first.body.keys).toContain(`email:vera-${run}@example.com`);
    expect(first.body.keys).not.toContain("phone:79131112233");
    expect(second.body).toMatchObject({
      id: b.body.profileId,
      status: "active",
      keys: ["phone:79131112233"],
      touchpointCount: 1,
    });
    const keyOwner = await db
      .collection("identity_keys")
      .findOne({ _id: "phone:79131112233" as never });
    expect(keyOwner?.profileId).toBe(b.body.profileId);

    const again = await touch({
      channel: "messenger",
      identity: { email: `vera-${run}@example.com`, phone: "89131112233" },
    });
    expect(again.body.outcome).not.toBe("merged");
    const twice = await call<Failure>("POST", `${crm.url}/merges/${merge!.id}/undo`, {
      by: { kind: "manager", id: "manager-7" },
    });
    expect([twice.status, twice.body.error.code]).toEqual([409, "VersionConflict"]);
  });
});

describe("CRM merge suggestions", () => {
  it("when a visitor with the same cookie and a similar name appears, then a suggestion waits and only that customer may confirm it", async () => {
    const known = await touch({
      channel: "site_form",
      identity: { email: `lena-${run}@example.com`, cookieId: `ck-${run}` },
      name: "Elena Popova",
    });
    const visitor = await touch({
      channel: "cookie",
      identity: { cookieId: `ck-${run}` },
      name: "Elena Popova",
    });
    const stranger = await touch({
      channel: "cookie",
      identity: { cookieId: `ck-${run}` },
      name: "Gleb Zhukov",
    });
    expect(
      new Set([known.body.profileId, visitor.body.profileId, stranger.body.profileId]).size,
    ).toBe(3);
    const { body } = await call<{ suggestions: Array<{ id: string; profileIds: string[] }> }>(
      "GET",
      `${crm.url}/suggestions?profileId=${known.body.profileId}`,
    );
    expect(body.suggestions).toHaveLength(1);
    expect(body.suggestions[0]!.profileIds.sort()).toEqual(
      [known.body.profileId, visitor.body.profileId].sort(),
    );
    const url = `${crm.url}/suggestions/${encodeURIComponent(body.suggestions[0]!.id)}/confirm`;

    const notTheirs = await call<Failure>("POST", url, {
      by: { kind: "customer", id: stranger.body.profileId },
    });
    expect([notTheirs.status, notTheirs.body.error.field]).toEqual([403, "body.by.id"]);
    const confirmed = await call<{ mergeId: string; profile: Profile }>("POST", url, {
      by: { kind: "customer", id: known.body.profileId },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.profile).toMatchObject({ id: known.body.profileId, touchpointCount: 2 });
    const merge = await call<Merge>("GET", `${crm.url}/merges/${confirmed.body.mergeId}`);
    expect(merge.body.actor).toEqual({ kind: "customer", id: known.body.profileId });
  });
});

describe("CRM consent", () => {
  it("when consent is given per channel, then the profile holds each channel's answer", async () => {
    const person = await touch({
      channel: "site_form",
      identity: { email: `con-${run}@example.com` },
      consent: { email: true },
    });
    const changed = await call<Profile>(
      "PUT",
      `${crm.url}/customers/${person.body.profileId}/consent`,
      {
        consent: { sms: false, messenger: true },
        source: "cabinet",
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.consent).toMatchObject({
      email: { granted: true },
      sms: { granted: false },
      messenger: { granted: true },
    });
  });
});

describe("CRM refuses bad input with the field named and stores nothing", () => {
  const ok = { channel: "site_form", identity: { email: "ok@example.com" } };
  it.each([
    ["an unknown field", { ...ok, vip: true }, 400, "body.vip"],
    ["an unknown channel", { ...ok, channel: "fax" }, 400, "body.channel"],
    [
      "a malformed e-mail",
      { ...ok, identity: { email: "not-an-email" } },
      400,
      "body.identity.email",
    ],
    [
      "an operator in the identity",
      { ...ok, identity: { email: { $ne: null } } },
      400,
      "body.identity.email",
    ],
    [
      "an unknown identity field",
      { ...ok, identity: { email: "a@b.io", $where: "1" } },
      400,
      "body.identity.$where",
    ],
    ["letters in a phone", { ...ok, identity: { phone: "call me" } }, 400, "body.identity.phone"],
    ["markup in a name", { ...ok, name: "<script>alert(1)</script>" }, 400, "body.name"],
    ["a too long note", { ...ok, note: "n".repeat(2_001) }, 400, "body.note"],
    ["a malformed body", '{"channel": ', 400, "body"],
    ["an oversized body", { ...ok, note: "n".repeat(9_000) }, 413, "body"],
  ])("when the touchpoint has %s, then %i naming %s", async (_case, body, status, field) => {
    const before = await stored();
    const answer = await call<Failure>("POST", `${crm.url}/touchpoints`, body);
    expect([answer.status, answer.body.error.field]).toEqual([status, field]);
    expect(await stored()).toBe(before);
  });

  it("when one touchpoint of a batch is bad, then the batch is refused naming it and nothing is stored", async () => {
    const before = await stored();
    const answer = await call<Failure>("POST", `${crm.url}/touchpoints/batch`, {
      touchpoints: [ok, { ...ok, identity: { email: "x@y.io", cookieId: "a b" } }],
    });
    expect([answer.status, answer.body.error.field]).toEqual([
      400,
      "body.touchpoints.1.identity.cookieId",
    ]);
    expect(await stored()).toBe(before);
  });

  it.each([
    ["email[$ne]=x", "query.email[$ne]"],
    ["email=%7B%22%24gt%22%3A%22%22%7D", "query.email"],
    ["phone=1%3B%20DROP%20TABLE", "query.phone"],
  ])("when a lookup filter is %s, then 400 names %s", async (query, field) => {
    const answer = await call<Failure>("GET", `${crm.url}/customers?${query}`);
    expect([answer.status, answer.body.error.field]).toEqual([400, field]);
  });
});
