import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../dev/harness/tool-paths.js";

// `make demo` end to end, as a new user runs it: the CRs in samples/ -> the operator -> what
// it rendered -> the local runner -> real daprd sidecars, MDM, CRM, the bus gateway and a
// partner -> what kubectl shows. (It exits instead of waiting for Ctrl-C.)

const dir = mkdtempSync(join(tmpdir(), "symbiont-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("make demo", () => {
  it(
    "shows master data reaching CRM, a partner delivery, an outage buffered and replayed in order, a marketplace order paid through the acquirer, and kubectl's view",
    { timeout: 600_000 },
    async () => {
      // As `make demo` runs it: workspace packages resolve to their sources.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--conditions=symbiont-source", "--import", "tsx", join(repoRoot, "dev/demo.ts")],
        {
          cwd: repoRoot,
          env: { ...process.env, SYMBIONT_DEMO_EXIT: "1", SYMBIONT_DEMO_DIR: dir },
          maxBuffer: 16 * 1024 * 1024,
        },
      );
      expect(stdout).toMatch(/^\s+mdm\s+http:\/\/127\.0\.0\.1:\d+/m);
      expect(stdout).toMatch(/^\s+crm\s+http:\/\/127\.0\.0\.1:\d+/m);
      expect(stdout).toMatch(/^\s+acme-bus-gateway\s+http:\/\/127\.0\.0\.1:\d+/m);
      expect(stdout).toMatch(/^\s+files\s+http:\/\/127\.0\.0\.1:\d+/m);
      // Files on the demo's SeaweedFS: two versions, found in Russian, refused to a stranger.
      expect(stdout).toMatch(/contract\.docx in sandbox \S+ at version 2/);
      expect(stdout).toMatch(/search "договоры подписаны" found contract\.docx/);
      expect(stdout).toMatch(/another partner asking for it gets 403/);
      // MDM's catalog event reached CRM over the internal bus; two touchpoints made one profile.
      expect(stdout).toMatch(/unified profile \S+: 2 touchpoints/);
      expect(stdout).toMatch(/interests: Corner sofa/);
      // The same events reached analytics, whose reports API answers its reporting caller.
      expect(stdout).toMatch(/^\s+analytics\s+http:\/\/127\.0\.0\.1:\d+/m);
      expect(stdout).toMatch(
        /Analytics: collected \d+ events from the internal bus \(.*customer\.created [1-9]/,
      );
      // The order paid through the acquiring partner is in analytics' cash flow, once.
      expect(stdout).toMatch(/Analytics: cash flow today: [1-9][\d.]* RUB in from 1 payment/);
      // A core event crossed the gateway to the partner; the outage was buffered, then replayed.
      expect(stdout).toMatch(/the partner received it/);
      expect(stdout).toMatch(/circuit open, 5 buffered/);
      expect(stdout).toMatch(
        /replayed in order: 0, 1, 2, 3, 4, 5; gateway: 6 delivered, 0 buffered, 0 dead letters/,
      );
      // The front office: the SSO, the site, the landing pages and the cabinets run; a sign-in
      // through the SSO (code + PKCE) reaches CRM as sso.login.
      for (const app of [
        "sso",
        "site",
        "landing-wizard",
        "user-cabinet",
        "partner-cabinet",
        "company-partner-cabinet",
      ])
        expect(stdout).toMatch(new RegExp(`^\\s+${app}\\s+http://127\\.0\\.0\\.1:\\d+`, "m"));
      expect(stdout).toMatch(/Site and cabinet: [1-9]\d* item\(s\) from MDM's catalog/);
      expect(stdout).toMatch(/the page says "Hello, Demo Customer"/);
      expect(stdout).toMatch(/CRM: sso\.login linked to profile \S+/);
      // The same through the government login upstream of the SSO (partner-sim's provider).
      expect(stdout).toMatch(
        /signed in through the government login .* says "Hello, Мария Иванова"/,
      );
      expect(stdout).toMatch(/CRM: the government sign-in's sso\.login linked to profile \S+/);
      // A marketplace order crossed the gateway and was paid through the acquiring partner.
      expect(stdout).toMatch(/^\s+marketplace\s+http:\/\/127\.0\.0\.1:\d+/m);
      expect(stdout).toMatch(
        /an offer at 20\.00 RUB per flat-month: HTTP 422, rule building-services-price/,
      );
      expect(stdout).toMatch(/called back \(signed webhook, gateway answered 202\)/);
      expect(stdout).toMatch(
        /order \S+ paid: 54000\.00 RUB, commission 2700\.00 RUB, partner payout 51300\.00 RUB/,
      );
      expect(stdout).toMatch(/recognised by the marketplace, order unchanged at version 2/);
      // A client meeting: the reminder and the rating request reached the SMS partner (6 + 2).
      expect(stdout).toMatch(/^\s+processes\s+http:\/\/127\.0\.0\.1:\d+/m);
      expect(stdout).toMatch(/client-meeting instance \S+ started \(crossed the bus gateway\)/);
      expect(stdout).toMatch(/SMS partner received the reminder to \+79165550102/);
      expect(stdout).toMatch(/files: contracts\/client-meeting\/\S+\/contract\.docx stored/);
      expect(stdout).toMatch(/e-signature partner received contract \S+\.contract/);
      // A callback request from the call centre became the free manager's task.
      expect(stdout).toMatch(/a caller pressed 1 \(sales\): connected to m-ivanova/);
      expect(stdout).toMatch(/call me back\): sent to the gateway, answered 202/);
      expect(stdout).toMatch(/task "Call back \+79165550302 \(sales\)" for m-petrov/);
      expect(stdout).toMatch(
        /ecosystem\.symbiont\.dev\/acme\s+redis\s+rabbitmq\s+\d+\/12\s+True\s+Ready/,
      );
      expect(stdout).toMatch(
        /partnerintegration\.symbiont\.dev\/sms\s+acme\s+messaging\s+True\s+\S+\s+8\s+0\s+0/,
      );
      expect(stdout).toMatch(
        /busroute\.symbiont\.dev\/sms-out\s+notification\.sms\s+export\s+false\s+True\s+Routed/,
      );
    },
  );
});
