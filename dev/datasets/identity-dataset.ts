import type { TouchpointInput } from "@symbiont/crm";
import {
  nameSimilarity,
  similarNameThreshold,
} from "../../services/crm/src/domain/name-similarity.js";

// A synthetic population with known ground truth for identity resolution. Every
// registered person's keyed touchpoints are linked through shared keys (written in varied
// spellings, sent in random order), so deterministic rules alone must rebuild each person
// exactly. Some people also leave an anonymous touchpoint (their browser cookie and a
// spelling of their name): only a merge suggestion can join it. Housemates use a
// registered person's browser under a clearly different name: they must stay apart.

export interface LabelledTouchpoint {
  person: number;
  /** False for cookie-only touchpoints, which deterministic rules cannot place. */
  keyed: boolean;
  input: TouchpointInput & { id: string };
}

export interface Dataset {
  people: number;
  touchpoints: LabelledTouchpoint[];
}

const firstNames = [
  "Anna",
  "Maria",
  "Elena",
  "Olga",
  "Irina",
  "Sofia",
  "Daria",
  "Alexei",
  "Dmitri",
  "Ivan",
  "Sergei",
  "Pavel",
  "Nikolai",
  "Mikhail",
  "Andrei",
  "Kirill",
  "Viktor",
  "Yulia",
  "Tatiana",
  "Natalia",
];
const lastNames = [
  "Ivanova",
  "Petrov",
  "Sidorov",
  "Kuznetsova",
  "Smirnov",
  "Popova",
  "Volkov",
  "Sokolova",
  "Lebedev",
  "Kozlova",
  "Novikov",
  "Morozova",
  "Orlov",
  "Fedorova",
  "Egorov",
  "Pavlova",
  "Stepanov",
  "Nikitina",
  "Zakharov",
  "Belova",
];
const housemateFirst = [
  "Grigory",
  "Zinaida",
  "Bogdan",
  "Ulyana",
  "Timofey",
  "Lyubov",
  "Yaroslav",
  "Evdokia",
];
const housemateLast = [
  "Khrushchev",
  "Tsvetaeva",
  "Gumilyov",
  "Yakovleva",
  "Chaikovsky",
  "Bulgakova",
];
const domains = ["gmail.com", "mail.example", "corp.example", "yandex.example"];
const channels = [
  "site_form",
  "social",
  "phone_call",
  "office_visit",
  "email",
  "messenger",
  "purchase",
] as const;

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDataset(options: {
  people: number;
  touchpoints: number;
  seed: number;
}): Dataset {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const housemates = Math.round(options.people * 0.05);
  const registered = options.people - housemates;
  const perPerson = Math.floor((options.touchpoints - housemates) / registered);
  let extra = options.touchpoints - housemates - perPerson * registered;
  const out: LabelledTouchpoint[] = [];
  let serial = 0;
  const add = (person: number, keyed: boolean, input: Omit<TouchpointInput, "enteredBy">) => {
    out.push({
      person,
      keyed,
      input: { ...input, id: `gt-${options.seed}-${++serial}`, enteredBy: { kind: "auto" } },
    });
  };

  for (let person = 0; person < registered; person++) {
    const name = `${pick(firstNames)} ${pick(lastNames)}`;
    const [first, last] = name.split(" ") as [string, string];
    const domain = pick(domains);
    const local = `${first.toLowerCase()}.${last.toLowerCase()}${person}`;
    const digits = String(9_000_000_000 + person * 4_099).padStart(10, "0");
    const card = `LC${String(10_000_000 + person)}`;
    const hasCard = random() < 0.5;
    const sso =
      random() < 0.3
        ? { provider: "gosuslugi", subject: `u${person}x${Math.floor(random() * 1e6)}` }
        : undefined;
    const cookieId = `ck-${options.seed}-${person}`;
    const email = () =>
      pick([
        `${local}@${domain}`,
        `${local.toUpperCase()}@${domain}`,
        ` ${local}+promo@${domain} `,
        domain === "gmail.com"
          ? `${local.replace(".", "")}@gmail.com`
          : `${local}@${domain.toUpperCase()}`,
      ]);
    const phone = () =>
      pick([
        `+7 (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`,
        `8 ${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6, 8)} ${digits.slice(8)}`,
        `+7${digits}`,
        `007${digits}`,
      ]);
    const cardText = () =>
      pick([card, `${card.slice(0, 2).toLowerCase()}-${card.slice(2, 6)} ${card.slice(6)}`]);

    const count = perPerson + (extra-- > 0 ? 1 : 0);
    const planned: Array<() => void> = [
      () =>
        add(person, true, {
          channel: "site_form",
          identity: { email: email(), phone: phone(), cookieId },
          name,
          consent: { email: true },
        }),
    ];
    if (hasCard)
      planned.push(() =>
        add(person, true, {
          channel: "loyalty_card",
          identity: { loyaltyCard: cardText(), phone: phone() },
          name,
        }),
      );
    if (sso)
      planned.push(() =>
        add(person, true, { channel: "sso_login", identity: { sso, email: email() } }),
      );
    // About a quarter of the people also browse anonymously once.
    if (random() < 0.25 && planned.length < count) {
      const variant = nameVariant(name, random);
      planned.push(() =>
        add(person, false, { channel: "cookie", identity: { cookieId }, name: variant }),
      );
    }
    while (planned.length < count) {
      const options_ = [
        () => add(person, true, { channel: pick(channels), identity: { email: email() } }),
        () =>
          add(person, true, {
            channel: pick(channels),
            identity: { phone: phone() },
            consent: { sms: random() < 0.5 },
          }),
        () =>
          add(person, true, { channel: "site_form", identity: { email: email(), cookieId }, name }),
        ...(hasCard
          ? [
              () =>
                add(person, true, {
                  channel: "loyalty_card" as const,
                  identity: { loyaltyCard: cardText() },
                }),
            ]
          : []),
        ...(sso
          ? [() => add(person, true, { channel: "sso_login" as const, identity: { sso } })]
          : []),
      ];
      planned.push(pick(options_));
    }
    for (const make of planned) make();
  }

  for (let h = 0; h < housemates; h++) {
    const person = registered + h;
    const host = Math.floor(random() * registered);
    const hostName = out.find((t) => t.person === host && t.input.name)!.input.name!;
    let name = `${pick(housemateFirst)} ${pick(housemateLast)}`;
    while (nameSimilarity(name, hostName) >= similarNameThreshold)
      name = `${pick(housemateFirst)} ${pick(housemateLast)}`;
    add(person, false, {
      channel: "cookie",
      identity: { cookieId: `ck-${options.seed}-${host}` },
      name,
    });
  }

  // Shuffle (Fisher-Yates): arrival order must not matter.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return { people: options.people, touchpoints: out };
}

/** A spelling of the same name that stays above the similarity threshold. */
function nameVariant(name: string, random: () => number): string {
  const [first, last] = name.split(" ") as [string, string];
  const variants = [
    `${last} ${first}`,
    `${first.slice(0, -1)} ${last}`,
    `${first} ${last}`.toUpperCase(),
    `${first}a ${last}`,
  ];
  for (let attempt = 0; attempt < 10; attempt++) {
    const variant = variants[Math.floor(random() * variants.length)]!;
    if (nameSimilarity(variant, name) >= similarNameThreshold) return variant;
  }
  return name;
}

/**
 * Pairwise precision and recall of a clustering against the truth: over all pairs of
 * touchpoints, "same profile" versus "same person".
 */
export function pairwiseScores(assignments: Array<{ truth: number; predicted: string }>): {
  precision: number;
  recall: number;
} {
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const count = (keys: string[]) => {
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    return [...counts.values()].reduce((sum, n) => sum + pairs(n), 0);
  };
  const both = count(assignments.map((a) => `${a.truth}|${a.predicted}`));
  const predicted = count(assignments.map((a) => a.predicted));
  const truth = count(assignments.map((a) => String(a.truth)));
  return {
    precision: predicted === 0 ? 1 : both / predicted,
    recall: truth === 0 ? 1 : both / truth,
  };
}
