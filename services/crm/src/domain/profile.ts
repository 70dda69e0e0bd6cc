import type { ConsentKind } from "@symbiont/contracts";
import type { ConsentChannel } from "./touchpoint.js";

export interface ConsentState {
  granted: boolean;
  at: string;
  source: string;
}

/** How the person prefers to be contacted, as they last said (consent is still asked per channel). */
export interface ChannelPreference {
  channel: ConsentChannel;
  at: string;
  source: string;
}

/** One person (or a not yet identified visitor): the unified profile with its unified id. */
export interface Profile {
  id: string;
  status: "active" | "merged";
  mergedInto?: string;
  kind: "prospect" | "customer";
  names: string[];
  /** Normalised deterministic keys ("email:...", "phone:...", "card:...", "sso:...") */
  keys: string[];
  /** Cookie hints ("cookie:..."). */
  hints: string[];
  /** Per contact channel, and `cookies` (the main site's banner): the latest statement. */
  consent: Partial<Record<ConsentKind, ConsentState>>;
  preferredChannel?: ChannelPreference;
  interests: string[];
  touchpointCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  createdAt: string;
  updatedAt: string;
  /** Grows on every change of identity, consent, kind or interests. */
  version: number;
}

export interface MergeActor {
  kind: "system" | "customer" | "manager";
  id?: string;
}

/** A merge as recorded: enough to undo it (the profiles, keys and touchpoints before). */
export interface MergeRecord {
  id: string;
  survivorId: string;
  absorbedIds: string[];
  rule: string;
  actor: MergeActor;
  at: string;
  before: {
    profiles: Profile[];
    keyOwners: Array<{ key: string; profileId: string }>;
    touchpointOwners: Array<{ touchpointId: string; profileId: string }>;
  };
  undoneAt?: string;
  undoneBy?: MergeActor;
}

export interface MergeSuggestion {
  id: string;
  profileIds: [string, string];
  reason: string;
  score: number;
  status: "open" | "confirmed" | "rejected";
  createdAt: string;
  decidedAt?: string;
  decidedBy?: MergeActor;
}

/** The unordered pair's id: one suggestion (and one block) per pair of profiles. */
export function pairId(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
