// Dead letters replayed declaratively, in the Strimzi style: an annotation on the Ecosystem
// asks its bus gateway to replay; the gateway replays, records an Event with the outcome and
// removes the annotation. `kubectl annotate eco acme symbiont.dev/replay-dead-letters=partner=sms`

export const replayAnnotation = "symbiont.dev/replay-dead-letters";

const kinds = ["partner", "export", "import", "inbound", "drop"] as const;

export interface ReplayRequest {
  partner?: string;
  kind?: (typeof kinds)[number];
}

/** `all`, or `partner=<name>` and/or `kind=<kind>` separated by commas. */
export function parseReplayRequest(
  value: string,
): { ok: true; request: ReplayRequest } | { ok: false; error: string } {
  const text = value.trim();
  if (text === "all") return { ok: true, request: {} };
  const request: ReplayRequest = {};
  for (const part of text.split(",")) {
    const [key, selected, extra] = part.trim().split("=");
    if (key === "partner" && selected && extra === undefined) request.partner = selected;
    else if (key === "kind" && extra === undefined && kinds.includes(selected as never))
      request.kind = selected as ReplayRequest["kind"];
    else
      return {
        ok: false,
        error: `${replayAnnotation}="${value}" is not understood: write all, partner=<name>, kind=<${kinds.join("|")}>, or both separated by a comma`,
      };
  }
  return { ok: true, request };
}
