import { exitOnSignals } from "@symbiont/service-kit";
import { pino } from "pino";
import { ConfigError, loadGatewayConfig } from "./config.js";
import { startGateway } from "./start-gateway.js";

const log = pino({ base: { service: "bus-gateway" } });
try {
  const config = loadGatewayConfig();
  const service = await startGateway(config);
  exitOnSignals(service, log);
} catch (error) {
  log.fatal(
    { err: error instanceof ConfigError ? error.message : error },
    error instanceof ConfigError
      ? `invalid configuration: ${error.message}`
      : "the gateway could not start",
  );
  process.exit(1);
}
