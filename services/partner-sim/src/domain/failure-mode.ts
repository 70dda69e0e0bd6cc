import { z } from "zod";

// How a simulated partner behaves: ok; down (stops listening: connection refused);
// error (answers 5xx); slow (answers after delayMs); reject (answers 4xx); flaky (applies
// the message, then answers a share of them 500 and lets a share time out: no answer for
// timeoutMs, then the connection closes; the sender cannot tell it was applied).

export const failureModeSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("ok") }),
  z.object({ mode: z.literal("down") }),
  z.object({ mode: z.literal("error"), status: z.number().int().min(500).max(599).default(500) }),
  z.object({
    mode: z.literal("slow"),
    delayMs: z.number().int().min(0).max(600_000).default(5_000),
  }),
  z.object({ mode: z.literal("reject"), status: z.number().int().min(400).max(499).default(400) }),
  z.object({
    mode: z.literal("flaky"),
    errorRate: z.number().min(0).max(1).default(0.05),
    timeoutRate: z.number().min(0).max(1).default(0.01),
    timeoutMs: z.number().int().min(0).max(600_000).default(15_000),
  }),
]);
export type FailureMode = z.infer<typeof failureModeSchema>;
