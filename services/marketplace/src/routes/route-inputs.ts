import { z } from "zod";

// Inputs the admin and partner routes share.

export const uuidParams = z.strictObject({ id: z.uuid() });

/** A key rotation: how long the keys it replaces keep working (the service default when absent). */
export const rotationBody = z.strictObject({
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .optional(),
});
