import { inject } from "vitest";

// Each integration test file's process: the services it starts put their RabbitMQ buses on
// the run's own broker, a vhost per bus (dev/stack/service-stack.ts).
process.env.SYMBIONT_TEST_BROKER = JSON.stringify(inject("sharedBroker"));
