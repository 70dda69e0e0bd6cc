import { exitOnSignals } from "@symbiont/service-kit";
import { pino } from "pino";
import { loadSimConfig } from "./config.js";
import { startPartnerSim } from "./partner-sim.js";

const sim = await startPartnerSim(loadSimConfig());
exitOnSignals(sim.service, pino({ base: { service: "partner-sim" } }));
