import { z } from "zod";

// Next-offer rules as data: a named pattern of behaviour and the offer it suggests. They are
// validated like any input (a rule that can never match is refused, by its position and
// field), stored by the service, and replaced as a whole through the API.

const category = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "expected a catalog category code, as in MDM (real-estate)");
const categories = z.array(category).min(1).max(20);
const days = z.number().int().min(0).max(3650);

export const offerRuleSchema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{1,62}$/,
      "expected a name in lower case with '-' (car-for-home-seekers)",
    ),
  offer: z.strictObject({
    category,
    title: z.string().trim().min(1).max(200),
  }),
  when: z
    .strictObject({
      /** Interested in any of these catalog categories (CRM's interests). */
      interestedIn: categories.optional(),
      /** Bought any of these categories (a paid order not refunded)... */
      purchased: categories.optional(),
      /** ...at most this many days ago... */
      purchasedWithinDays: days.min(1).optional(),
      /** ...and at least this many days ago. */
      purchasedAtLeastDaysAgo: days.optional(),
      /** Never bought any of these categories. */
      notPurchased: categories.optional(),
    })
    .superRefine((when, context) => {
      if (!when.interestedIn && !when.purchased)
        context.addIssue({
          code: "custom",
          message: "a rule needs interestedIn or purchased: it would match everyone",
        });
      for (const field of ["purchasedWithinDays", "purchasedAtLeastDaysAgo"] as const)
        if (when[field] !== undefined && !when.purchased)
          context.addIssue({ code: "custom", path: [field], message: "needs purchased" });
      if (
        when.purchasedWithinDays !== undefined &&
        when.purchasedAtLeastDaysAgo !== undefined &&
        when.purchasedAtLeastDaysAgo >= when.purchasedWithinDays
      )
        context.addIssue({
          code: "custom",
          path: ["purchasedAtLeastDaysAgo"],
          message: "must be less than purchasedWithinDays, or the rule never matches",
        });
      const both = when.purchased?.filter((c) => when.notPurchased?.includes(c)) ?? [];
      if (both.length > 0)
        context.addIssue({
          code: "custom",
          path: ["notPurchased"],
          message: `${both[0]} is also in purchased: the rule never matches`,
        });
    }),
  enabled: z.boolean().default(true),
});

export type OfferRule = z.output<typeof offerRuleSchema>;

export const offerRulesSchema = z
  .strictObject({ rules: z.array(offerRuleSchema).max(100) })
  .superRefine(({ rules }, context) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (seen.has(rule.name))
        context.addIssue({
          code: "custom",
          path: ["rules", i, "name"],
          message: `${rule.name} is used twice`,
        });
      seen.add(rule.name);
    });
  });

/** The rules a new installation starts with (MISSION C5's examples). */
export const defaultOfferRules: OfferRule[] = [
  {
    name: "car-for-home-seekers",
    offer: { category: "car", title: "A car loan on good terms for your move" },
    when: { interestedIn: ["real-estate"], notPurchased: ["car"] },
    enabled: true,
  },
  {
    name: "renovation-after-mortgage",
    offer: { category: "renovation", title: "Renovation of your new home" },
    when: { purchased: ["mortgage"], purchasedWithinDays: 90, notPurchased: ["renovation"] },
    enabled: true,
  },
  {
    name: "refinancing-after-mortgage",
    offer: { category: "refinancing", title: "Refinance your mortgage at a lower rate" },
    when: { purchased: ["mortgage"], purchasedWithinDays: 365, notPurchased: ["refinancing"] },
    enabled: true,
  },
];
