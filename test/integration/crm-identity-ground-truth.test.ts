import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mongoose, { type Connection } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFerretDb, type FerretDb } from "../../dev/harness/ferretdb.js";
import {
  generateDataset,
  pairwiseScores,
  type LabelledTouchpoint,
} from "../../dev/datasets/identity-dataset.js";
import { call, startModule, type RunningModule } from "../../dev/stack/service-stack.js";

// Identity resolution against known truth (MISSION C2): 5,000 touchpoints of 1,000 people
// (bench/crm-identity runs the same generator with 100,000 touchpoints),
// sent in random order through CRM's API into a real MongoDB-wire database.

const run = randomBytes(3).toString("hex");
const size = { people: 1_000, touchpoints: 5_000 };
const dataset = generateDataset({ ...size, seed: 42 });
const sizeText = `${size.people.toLocaleString("en")} people, ${size.touchpoints.toLocaleString("en")} touchpoints`;
let dir: string;
let ferret: FerretDb;
let crm: RunningModule;
let db: Connection;

interface Suggestion {
  id: string;
  profileIds: [string, string];
}

async function send(touchpoints: LabelledTouchpoint[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < touchpoints.length; i += 500) {
    const chunk = touchpoints.slice(i, i + 500).map((t) => t.input);
    const answer = await call<{ resolutions: Array<{ outcome: string }> }>(
      "POST",
      `${crm.url}/touchpoints/batch`,
      {
        touchpoints: chunk,
      },
    );
    expect(answer.status).toBe(201);
    outcomes.push(...answer.body.resolutions.map((r) => r.outcome));
  }
  return outcomes;
}

async function assignments(): Promise<Map<string, string>> {
  const docs = await db
    .collection<{ _id: string; profileId: string }>("touchpoints")
    .find({}, { projection: { profileId: 1 } })
    .toArray();
  return new Map(docs.map((d) => [d._id, d.profileId]));
}

function scores(touchpoints: LabelledTouchpoint[], owner: Map<string, string>) {
  return pairwiseScores(
    touchpoints.map((t) => ({ truth: t.person, predicted: owner.get(t.input.id)! })),
  );
}

function format({ precision, recall }: { precision: number; recall: number }): string {
  return `precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "symbiont-crm-truth-"));
  ferret = await startFerretDb({ dir, backend: "postgresql" });
  crm = await startModule({
    service: "crm",
    appId: `crm-${run}`,
    dir,
    databaseUrl: `${ferret.uri}crm`,
    pubsubName: `test-${run}-internal-bus`,
    pubsub: "in-memory",
  });
  db = await mongoose.createConnection(`${ferret.uri}crm`).asPromise();
});

afterAll(async () => {
  await db?.close();
  await crm?.stop();
  await ferret?.stop();
  if (dir && !process.env.SYMBIONT_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

describe(`identity resolution against ground truth (${sizeText})`, () => {
  const keyed = dataset.touchpoints.filter((t) => t.keyed);
  const registeredPeople = new Set(keyed.map((t) => t.person)).size;

  it(
    "when every touchpoint is sent in random order, then deterministic rules rebuild every registered person exactly",
    { timeout: 900_000 },
    async () => {
      expect(dataset.touchpoints).toHaveLength(size.touchpoints);
      await send(dataset.touchpoints);
      const owner = await assignments();
      expect(owner.size).toBe(size.touchpoints);

      const profilesOfPerson = new Map<number, Set<string>>();
      const peopleOfProfile = new Map<string, Set<number>>();
      for (const t of keyed) {
        const profile = owner.get(t.input.id)!;
        profilesOfPerson.set(t.person, (profilesOfPerson.get(t.person) ?? new Set()).add(profile));
        peopleOfProfile.set(profile, (peopleOfProfile.get(profile) ?? new Set()).add(t.person));
      }
      const deterministic = scores(keyed, owner);
      console.log(
        `deterministic rules, ${keyed.length} keyed touchpoints of ${registeredPeople} people: ${format(deterministic)}`,
      );
      console.log(
        `deterministic rules, all ${sizeText}: ${format(scores(dataset.touchpoints, owner))}`,
      );
      expect(deterministic).toEqual({ precision: 1, recall: 1 });
      expect(peopleOfProfile.size).toBe(registeredPeople);
      expect([...profilesOfPerson.values()].every((set) => set.size === 1)).toBe(true);
      expect(await db.collection("profiles").countDocuments({ status: "active" })).toBe(
        new Set(owner.values()).size,
      );
    },
  );

  it(
    "when the same touchpoints are sent again, then every one is recognised and nothing changes",
    { timeout: 300_000 },
    async () => {
      const before = await assignments();
      const profiles = await db.collection("profiles").countDocuments();
      const outcomes = await send(dataset.touchpoints.slice(0, 1_000));
      expect(new Set(outcomes)).toEqual(new Set(["duplicate"]));
      expect(await assignments()).toEqual(before);
      expect(await db.collection("profiles").countDocuments()).toBe(profiles);
    },
  );

  it(
    "when the cookie+name suggestions are confirmed by a manager, then every touchpoint carries its person's unified id",
    { timeout: 900_000 },
    async () => {
      const { body } = await call<{ suggestions: Suggestion[] }>(
        "GET",
        `${crm.url}/suggestions?status=open&limit=1000`,
      );
      const anonymous = dataset.touchpoints.filter(
        (t) => !t.keyed && t.person < registeredPeople,
      ).length;
      // A suggestion made while one person still had two profiles (before a later touchpoint
      // merged them) points, by now, at the same pair as another one, or at one profile.
      const pairs = await Promise.all(
        body.suggestions.map(async (s) => {
          const ids = await Promise.all(
            s.profileIds.map(
              async (id) =>
                (await call<{ id: string }>("GET", `${crm.url}/customers/${id}`)).body.id,
            ),
          );
          return ids[0] === ids[1] ? undefined : ids.sort().join("|");
        }),
      );
      const live = new Set(pairs.filter((p) => p !== undefined));
      console.log(
        `merge suggestions: ${body.suggestions.length}, ${live.size} distinct pairs of live profiles, for ${anonymous} anonymous touchpoints of registered people`,
      );
      expect(live.size).toBe(anonymous);
      for (const suggestion of body.suggestions) {
        const confirmed = await call(
          "POST",
          `${crm.url}/suggestions/${encodeURIComponent(suggestion.id)}/confirm`,
          {
            by: { kind: "manager", id: "manager-1" },
          },
        );
        expect(confirmed.status).toBe(200);
      }
      const owner = await assignments();
      const final = scores(dataset.touchpoints, owner);
      console.log(`after confirming suggestions, all ${sizeText}: ${format(final)}`);
      expect(final).toEqual({ precision: 1, recall: 1 });
      expect(new Set(owner.values()).size).toBe(dataset.people);
      expect(await db.collection("profiles").countDocuments({ status: "active" })).toBe(
        dataset.people,
      );
    },
  );
});
