import { parseArgs } from "node:util";
import { KubeConfig } from "@kubernetes/client-node";
import { gatewayName, gatewayPorts } from "@symbiont/contracts";
import type { BusRoute } from "../api/bus-route.types.js";
import type { EcosystemModule } from "../api/ecosystem-module.types.js";
import type { Ecosystem } from "../api/ecosystem.types.js";
import type { PartnerIntegration } from "../api/partner-integration.types.js";
import { KubeClient } from "../kube/kube-client.js";
import { renderEcosystemStatus } from "./ecosystem-status.js";
import { CliError, GatewayAdmin, callerAuthorization } from "./gateway-admin.js";
import { renderDeadLetters, renderReplay, renderTrace } from "./gateway-views.js";

// kubectl symbiont: the ecosystem for a platform engineer, as a kubectl plugin
// (the binary kubectl-symbiont on PATH). Flags follow kubectl's.

const localAdminUrl = `http://127.0.0.1:${gatewayPorts.admin}`;

/** How a person reaches one ecosystem's gateway admin API from a workstation. */
export function portForwardHint(namespace: string, ecosystem: string): string {
  return `kubectl port-forward -n ${namespace} deploy/${gatewayName(ecosystem)} ${gatewayPorts.admin}:${gatewayPorts.admin}`;
}

export const usage = `kubectl symbiont: Symbiont's ecosystem at a glance, its dead letters and message traces.

Usage:
  kubectl symbiont status [-n NAMESPACE]
  kubectl symbiont trace MESSAGE_ID [--gateway-url URL]
  kubectl symbiont deadletters list [--partner NAME] [--kind KIND] [--gateway-url URL]
  kubectl symbiont deadletters replay (--partner NAME | --kind KIND | --key KEY... | --all) [--gateway-url URL]

status reads the API server. trace and deadletters call the bus gateway's admin API with
your own credentials (the bearer token of your kubeconfig's user, or --token), and RBAC
decides: get busgateways/ledger to read, create busgateways/replay to replay (group
symbiont.dev). The admin API is in no Service: reach the gateway's admin port with a
port-forward and pass its address as --gateway-url or SYMBIONT_GATEWAY_URL:
  ${portForwardHint("NAMESPACE", "ECOSYSTEM")}
  kubectl symbiont deadletters list --gateway-url ${localAdminUrl}

Options:
  -n, --namespace    namespace (default: the context's, else "default")
      --context      kubeconfig context
      --kubeconfig   kubeconfig file (default: KUBECONFIG or ~/.kube/config)
      --token        bearer token for the gateway (default: the kubeconfig user's)
      --gateway-url  the bus gateway's address (default: SYMBIONT_GATEWAY_URL)
      --partner      dead letters of one partner
      --kind         dead letters of one kind: partner, export, import, inbound, drop
      --key          one dead letter by its key (repeatable)
      --all          replay every dead letter
  -o, --output       table (default) or json
  -h, --help         this help
`;

const kinds = ["partner", "export", "import", "inbound", "drop"];

export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      namespace: { type: "string", short: "n" },
      context: { type: "string" },
      kubeconfig: { type: "string" },
      token: { type: "string" },
      "gateway-url": { type: "string" },
      partner: { type: "string" },
      kind: { type: "string" },
      key: { type: "string", multiple: true },
      all: { type: "boolean" },
      output: { type: "string", short: "o", default: "table" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    out(usage);
    return command || values.help ? 0 : 1;
  }
  if (values.output !== "table" && values.output !== "json")
    throw new CliError(`--output must be table or json, not ${values.output}`);
  if (values.kind !== undefined && !kinds.includes(values.kind))
    throw new CliError(`--kind must be one of ${kinds.join(", ")}, not ${values.kind}`);
  const kc = new KubeConfig();
  if (values.kubeconfig) kc.loadFromFile(values.kubeconfig);
  else kc.loadFromDefault();
  if (values.context) kc.setCurrentContext(values.context);
  const namespace =
    values.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default";
  const json = values.output === "json";
  const print = (value: unknown, table: () => string) =>
    out(json ? JSON.stringify(value, null, 2) : table());

  const gateway = async () => {
    const url = values["gateway-url"] ?? env.SYMBIONT_GATEWAY_URL;
    if (!url)
      throw new CliError(
        `no bus gateway address: run ${portForwardHint(namespace, "ECOSYSTEM")} and pass --gateway-url ${localAdminUrl} (or set SYMBIONT_GATEWAY_URL)`,
      );
    return new GatewayAdmin(url, await callerAuthorization(kc, values.token));
  };
  const filter = {
    ...(values.partner ? { partner: values.partner } : {}),
    ...(values.kind ? { kind: values.kind } : {}),
    ...(values.key ? { keys: values.key } : {}),
  };

  if (command === "status") {
    const objects = await readEcosystems(kc, namespace);
    print(objects, () => renderEcosystemStatus(objects, namespace));
    return 0;
  }
  if (command === "trace") {
    const [messageId] = rest;
    if (!messageId)
      throw new CliError("trace needs a message id: kubectl symbiont trace MESSAGE_ID");
    const entries = await (await gateway()).entriesOf(messageId);
    if (entries.length === 0)
      throw new CliError(`message ${messageId} is not in the bus gateway's ledger`);
    print(entries, () => renderTrace(messageId, entries));
    return 0;
  }
  if (command === "deadletters") {
    const [action] = rest;
    if (action === "list") {
      const list = await (await gateway()).deadLetters(filter);
      print(list, () => renderDeadLetters(list));
      return 0;
    }
    if (action === "replay") {
      if (Object.keys(filter).length === 0 && !values.all)
        throw new CliError(
          "replay what? name --partner, --kind or --key, or --all for every dead letter",
        );
      const outcome = await (await gateway()).replay(filter);
      print(outcome, () => renderReplay(outcome));
      return outcome.results.length === outcome.replayed ? 0 : 1;
    }
    throw new CliError(`deadletters needs list or replay, not ${action ?? "nothing"}`);
  }
  throw new CliError(`unknown command ${command}; kubectl symbiont --help lists them`);
}

async function readEcosystems(kc: KubeConfig, namespace: string) {
  const client = new KubeClient(kc);
  const type = (kind: string) => ({ apiVersion: "symbiont.dev/v1alpha1", kind });
  try {
    const [ecosystems, modules, partners, routes] = await Promise.all([
      client.list<Ecosystem>(type("Ecosystem"), { namespace }),
      client.list<EcosystemModule>(type("EcosystemModule"), { namespace }),
      client.list<PartnerIntegration>(type("PartnerIntegration"), { namespace }),
      client.list<BusRoute>(type("BusRoute"), { namespace }),
    ]);
    return {
      ecosystems: ecosystems.items,
      modules: modules.items,
      partners: partners.items,
      routes: routes.items,
    };
  } finally {
    client.close();
  }
}
