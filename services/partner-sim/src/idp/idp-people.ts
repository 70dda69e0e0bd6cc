import type { SsoUpstreamKind } from "@symbiont/contracts";

// The test people of each kind of provider, picked on its sign-in page. A government login
// vouches for the name (`name_verified`) and identifies a person by a document-style subject;
// a social network gives an e-mail address, verified or not.

export interface IdpPerson {
  sub: string;
  name: string;
  givenName: string;
  familyName: string;
  email?: string;
  emailVerified?: boolean;
  /** A government login's name comes from the person's documents. */
  nameVerified?: boolean;
  birthdate?: string;
}

export const idpPeople: Record<SsoUpstreamKind, IdpPerson[]> = {
  government: [
    {
      sub: "RU-PASSPORT-4510-123456",
      name: "Мария Иванова",
      givenName: "Мария",
      familyName: "Иванова",
      email: "maria.ivanova@example.com",
      emailVerified: true,
      nameVerified: true,
      birthdate: "1990-04-12",
    },
    {
      sub: "RU-PASSPORT-4511-654321",
      name: "Пётр Петров",
      givenName: "Пётр",
      familyName: "Петров",
      nameVerified: true,
      birthdate: "1985-11-03",
    },
  ],
  social: [
    {
      sub: "1000001",
      name: "Anna Smirnova",
      givenName: "Anna",
      familyName: "Smirnova",
      email: "anna.smirnova@example.com",
      emailVerified: true,
    },
    {
      sub: "1000002",
      name: "Boris Orlov",
      givenName: "Boris",
      familyName: "Orlov",
      email: "boris.orlov@example.com",
      emailVerified: false,
    },
    {
      sub: "1000003",
      name: "Vera Kuznetsova",
      givenName: "Vera",
      familyName: "Kuznetsova",
      email: "vera.kuznetsova@example.com",
      emailVerified: true,
    },
  ],
};

/** The claims a person's ID token and userinfo carry for the scopes asked. */
export function personClaims(person: IdpPerson, scopes: Set<string>): Record<string, unknown> {
  return {
    sub: person.sub,
    ...(scopes.has("profile")
      ? {
          name: person.name,
          given_name: person.givenName,
          family_name: person.familyName,
          ...(person.birthdate ? { birthdate: person.birthdate } : {}),
          ...(person.nameVerified ? { name_verified: true } : {}),
        }
      : {}),
    ...(scopes.has("email") && person.email
      ? { email: person.email, email_verified: person.emailVerified ?? false }
      : {}),
  };
}
