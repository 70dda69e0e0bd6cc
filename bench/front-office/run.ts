import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { browserLike } from "../../dev/demo/front-office-scenario.js";
import { startFrontOfficeStack } from "../../dev/stack/front-office-stack.js";
import { call } from "../../dev/stack/service-stack.js";

// The front office on its real stack (dev/stack/front-office-stack.ts): how long a sign-in
// through the SSO takes (the cabinet's /login to its greeting: 7 HTTP requests, a scrypt
// check, code + PKCE exchange, a session written), how long a catalog page takes with
// BENCH_ITEMS items, and how long a price changed in MDM takes to show on its landing page
// (MDM's outbox, the internal bus, the gateway, the corporate bus). Prints Markdown.

const signIns = Number(process.env.BENCH_SIGN_INS ?? 30);
const items = Number(process.env.BENCH_ITEMS ?? 200);

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const row = (what: string, values: number[]) =>
  `| ${what} | ${values.length} | ${percentile(values, 0.5).toFixed(0)} | ${percentile(values, 0.95).toFixed(0)} |`;

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "symbiont-bench-front-office-"));
  const stack = await startFrontOfficeStack({ dir });
  try {
    console.log(
      `Front office, ${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0]!.toFixed(1)}\n`,
    );
    const password = "bench password 1";
    const email = `bench.${Date.now()}@example.com`;
    await call(
      "POST",
      `${stack.sso.url}/admin/accounts`,
      { email, password, name: "Bench" },
      {
        authorization: `Bearer ${stack.ssoAdminToken}`,
      },
    );
    const signInTimes: number[] = [];
    for (let i = 0; i < signIns; i++) {
      const go = browserLike();
      const [, ms] = await timed(async () => {
        const form = await go(`${stack.cabinet.url}/login`);
        const action = /action="(\/interaction\/[^"]+\/login)"/.exec(form.body)![1]!;
        const page = await go(new URL(action, form.url).href, {
          method: "POST",
          form: { email, password },
        });
        if (!page.body.includes("Hello, Bench")) throw new Error("sign-in failed");
      });
      signInTimes.push(ms);
    }
    let last = "";
    for (let i = 0; i < items; i++) {
      const created = await call<{ id: string }>("POST", `${stack.mdm.url}/items`, {
        sku: `BENCH-${Date.now()}-${i}`,
        name: `Item ${i}`,
        category: `group-${i % 10}`,
        status: "active",
        price: { amount: 100 + i, currency: "EUR" },
      });
      last = created.body.id;
    }
    const [, arrival] = await timed(async () => {
      for (;;) {
        const page = await fetch(`${stack.site.url}/items/${last}`);
        if (page.status === 200) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const pageTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const [, ms] = await timed(async () => (await fetch(`${stack.site.url}/`)).text());
      pageTimes.push(ms);
    }
    const current = await call<Record<string, unknown>>("GET", `${stack.mdm.url}/items/${last}`);
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = current.body;
    const followTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const amount = 500 + i;
      const latest = await call<Record<string, unknown>>("GET", `${stack.mdm.url}/items/${last}`);
      const [, ms] = await timed(async () => {
        await call("PUT", `${stack.mdm.url}/items/${last}`, {
          ...fields,
          version: latest.body.version,
          price: { amount, currency: "EUR" },
        });
        for (;;) {
          const page = await (await fetch(`${stack.landing.url}/products/${last}`)).text();
          if (page.includes(`${amount.toFixed(2)} EUR`)) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      followTimes.push(ms);
    }
    console.log("| what | n | p50 ms | p95 ms |\n| --- | --- | --- | --- |");
    console.log(row("sign-in through the SSO (cabinet /login to its greeting)", signInTimes));
    console.log(row(`the site's catalog page with ${items}+ items`, pageTimes));
    console.log(row("a price changed in MDM shown on its landing page", followTimes));
    console.log(
      `\n${items} items created in MDM reached the site ${(arrival / 1000).toFixed(1)} s after the last was created.`,
    );
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
