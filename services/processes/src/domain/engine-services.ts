import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServiceScope, EngineService } from "../engine/live-instance.js";
import type { ActivityModel, DefinitionModel } from "../engine/read-definition.js";
import {
  documentGeneratedTopic,
  messengerTopic,
  signingRequestedTopic,
  smsTopic,
  type SigningRequested,
  type Sms,
} from "../events/processes-topics.js";
import { contactChannel, type MessageChannel } from "./contact-channel.js";
import type { ProcessesDeps } from "./processes-deps.js";
import { docxType, renderDocument } from "./render-document.js";

// The services a definition's service tasks may call (`${environment.services.<name>}`). Each
// reads its parameters from the task's `symbiont:*` attributes and publishes through the
// outbox with an id made of the instance and the activity: a step the engine runs again after
// a restart publishes the same event id, which the bus and its consumers recognise.

export const engineServiceNames = [
  "findCustomer",
  "sendSms",
  "sendMessage",
  "generateDocument",
  "requestSignature",
] as const;

/** The message files' `file.uploaded` delivers for a document an instance generated. */
export const documentStoredMessage = "document.stored";

interface InstanceRef {
  id: string;
  model: DefinitionModel;
}

export function engineServices(
  deps: ProcessesDeps,
  instance: InstanceRef,
): Record<string, EngineService> {
  const run =
    (work: (scope: ServiceScope, activity: ActivityModel) => Promise<unknown>): EngineService =>
    (scope, callback) => {
      const activity = instance.model.activities.get(scope.id);
      if (!activity) return callback(new Error(`no activity ${scope.id} in the definition`));
      work(scope, activity).then(
        (output) => callback(null, output),
        (error: unknown) => callback(error as Error),
      );
    };
  const variable = (scope: ServiceScope, name: string) =>
    String(scope.environment.variables[name] ?? "");
  const channelTopics: Record<MessageChannel, string> = {
    sms: smsTopic,
    messenger: messengerTopic,
  };
  const send = async (
    scope: ServiceScope,
    activity: ActivityModel,
    channel: MessageChannel,
    customer: { id: string; phone: string },
  ) => {
    const messageId = `${instance.id}.${activity.id}`;
    const message: Sms = {
      messageId,
      to: customer.phone,
      text: String(scope.resolveExpression(activity.attrs.text ?? "")).slice(0, 1000),
      customerId: customer.id,
      instanceId: instance.id,
      purpose: activity.id,
    };
    const topic = channelTopics[channel];
    await deps.outbox.send([{ id: `${topic}:${messageId}`, topic, data: message }]);
    return { sent: true, channel, messageId };
  };
  return {
    /**
     * Puts the client as CRM last described them into `customer`: {found, smsAllowed, channel
     * (the one `sendMessage` uses: preferred, with consent), reachable, name}.
     */
    findCustomer: run(async (scope) => {
      const found = await deps.customers.find(variable(scope, "customerId"));
      const channel = contactChannel(found);
      const customer = {
        found: found !== undefined,
        smsAllowed: Boolean(found?.phone && found.smsConsent),
        channel: channel ?? "",
        reachable: channel !== undefined,
        name: found?.name ?? "",
      };
      scope.environment.variables.customer = customer;
      return customer;
    }),

    /** `notification.sms` with the task's `symbiont:text`, to the client's phone, with consent. */
    sendSms: run(async (scope, activity) => {
      const customer = await deps.customers.find(variable(scope, "customerId"));
      if (!customer?.phone || !customer.smsConsent) return { sent: false };
      return send(scope, activity, "sms", { ...customer, phone: customer.phone });
    }),

    /**
     * The task's `symbiont:text` through the client's channel (`contactChannel`: the one they
     * prefer, with consent): `notification.sms` or `notification.messenger`.
     */
    sendMessage: run(async (scope, activity) => {
      const customer = await deps.customers.find(variable(scope, "customerId"));
      const channel = contactChannel(customer);
      if (!channel || !customer?.phone) return { sent: false };
      return send(scope, activity, channel, { ...customer, phone: customer.phone });
    }),

    /** `document.generated`: the task's `symbiont:template` filled in, for files to store. */
    generateDocument: run(async (scope, activity) => {
      const templateName = activity.attrs.template ?? "";
      const template = await readFile(join(deps.settings.definitionsDir, templateName));
      const customer = await deps.customers.find(variable(scope, "customerId"));
      const documentId = `${instance.id}.${activity.id}`;
      const values: Record<string, string> = {
        ...Object.fromEntries(
          Object.entries(scope.environment.variables).filter(([, v]) => typeof v === "string"),
        ),
        documentId,
        customerName: customer?.name ?? "",
        date: deps.now().toISOString().slice(0, 10),
      } as Record<string, string>;
      const bytes = renderDocument(template, values);
      const path = `${instance.model.key}/${instance.id}/${templateName.replace(/-template(?=\.)/, "")}`;
      await deps.outbox.send([
        {
          id: `${documentGeneratedTopic}:${documentId}`,
          topic: documentGeneratedTopic,
          data: {
            documentId,
            sandbox: deps.settings.contractsSandbox,
            path,
            title: `${activity.name ?? activity.id} (${instance.id})`,
            contentType: docxType,
            contentBase64: bytes.toString("base64"),
            sha256: createHash("sha256").update(bytes).digest("hex"),
            link: { kind: "process-instance", id: instance.id },
            instanceId: instance.id,
            customerId: variable(scope, "customerId"),
          },
        },
      ]);
      return { documentId, path };
    }),

    /**
     * `contract.signing.requested` for the document files stored for this instance, approved by
     * whoever completed the user task `symbiont:approvedBy` names.
     */
    requestSignature: run(async (scope, activity) => {
      const stored = await deps.instances.get(instance.id);
      const document = stored?.received.find((m) => m.message === documentStoredMessage)?.payload;
      if (!document) throw new Error(`${activity.id}: no stored document for ${instance.id}`);
      const approvals = await deps.tasks.list({ instanceId: instance.id, status: "completed" });
      const approval = approvals.find((t) => t.activityId === activity.attrs.approvedBy);
      const contractId = `${instance.id}.contract`;
      const request: SigningRequested = {
        contractId,
        instanceId: instance.id,
        customerId: variable(scope, "customerId"),
        title: activity.attrs.title ?? "Contract",
        document: document as SigningRequested["document"],
        approvedBy: approval?.completedBy ?? "",
        requestedAt: deps.now().toISOString(),
      };
      await deps.outbox.send([
        {
          id: `${signingRequestedTopic}:${contractId}`,
          topic: signingRequestedTopic,
          data: request,
        },
      ]);
      return { contractId };
    }),
  };
}
