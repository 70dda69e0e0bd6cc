import BpmnModdle, { type ModdleElement } from "bpmn-moddle";
import { Engine } from "bpmn-engine";
import { invalidDefinition } from "../errors.js";

// A BPMN 2.0 document read and checked before it is stored: what the engine would run, plus
// what the module reads beside it (who does a user task, its due date, the SMS text of a
// service task, the message a receive task waits for). Anything the module could not run is
// refused here, with every reason, instead of failing an instance later.

export const symbiontNamespace = "https://symbiont.dev/schema/bpmn";

export interface ActivityModel {
  id: string;
  type: string;
  name?: string;
  /** `symbiont:*` attributes by local name (text, dueDate, dueIn, checklist, template). */
  attrs: Record<string, string>;
  /** A user task's potentialOwner / humanPerformer expression. */
  assignee?: string;
  /** The message name a receive task waits for. */
  message?: string;
  /** The engine service a service task calls (`${environment.services.<name>}`). */
  service?: string;
}

export interface DefinitionModel {
  /** The executable process's id: the definition's key, versions share it. */
  key: string;
  name: string;
  activities: Map<string, ActivityModel>;
}

const keyPattern = /^[a-z][a-z0-9-]{1,62}$/;
const servicePattern = /^\$\{environment\.services\.([A-Za-z]\w*)\}$/;

export async function readDefinition(
  xml: string,
  knownServices: readonly string[],
): Promise<DefinitionModel> {
  const reasons: string[] = [];
  let root: ModdleElement;
  try {
    const parsed = await new BpmnModdle().fromXML(xml);
    root = parsed.rootElement;
    for (const warning of parsed.warnings) reasons.push(warningText(warning));
  } catch (error) {
    throw invalidDefinition([`unreadable XML: ${firstLine((error as Error).message)}`]);
  }
  if (root.$type !== "bpmn:Definitions") throw invalidDefinition(["the root is not <definitions>"]);
  const processes = ((root.rootElements as ModdleElement[] | undefined) ?? []).filter(
    (element) => element.$type === "bpmn:Process" && element.isExecutable === true,
  );
  if (processes.length !== 1) {
    reasons.push(
      `expected one executable process (isExecutable="true"), found ${processes.length}`,
    );
    throw invalidDefinition(reasons);
  }
  const process = processes[0]!;
  const key = process.id ?? "";
  if (!keyPattern.test(key))
    reasons.push(`process id "${key}": lowercase letters, digits and dashes, 2 to 63 characters`);
  // The prefixes bound to Symbiont's namespace (`xmlns:symbiont="..."` on <definitions>).
  const prefixes = Object.entries(root.$attrs ?? {})
    .filter(([name, value]) => name.startsWith("xmlns:") && value === symbiontNamespace)
    .map(([name]) => name.slice("xmlns:".length));
  const activities = new Map<string, ActivityModel>();
  for (const element of (process.flowElements as ModdleElement[] | undefined) ?? []) {
    if (element.$type === "bpmn:SequenceFlow") continue;
    const activity = activityModel(element, prefixes);
    activities.set(activity.id, activity);
    reasons.push(...problemsOf(element, activity, knownServices));
  }
  if (![...activities.values()].some((a) => a.type === "bpmn:StartEvent"))
    reasons.push(`process ${key}: no start event`);
  if (reasons.length === 0) {
    // What the engine itself makes of it (references, types it does not know).
    try {
      await new Engine({ source: xml }).getDefinitions();
    } catch (error) {
      reasons.push(`the engine refuses it: ${firstLine((error as Error).message)}`);
    }
  }
  if (reasons.length > 0) throw invalidDefinition(reasons);
  return { key, name: process.name ?? key, activities };
}

function activityModel(element: ModdleElement, prefixes: string[]): ActivityModel {
  const attrs: Record<string, string> = {};
  for (const [name, value] of Object.entries(element.$attrs ?? {})) {
    const [prefix, local] = name.split(":", 2);
    if (local && prefixes.includes(prefix!)) attrs[local] = value;
  }
  const resources = (element.resources as ModdleElement[] | undefined) ?? [];
  const owner = resources.find((r) =>
    ["bpmn:PotentialOwner", "bpmn:HumanPerformer", "bpmn:Performer"].includes(r.$type),
  );
  const assignment = owner?.resourceAssignmentExpression as ModdleElement | undefined;
  const assignee = (assignment?.expression as ModdleElement | undefined)?.body as
    string | undefined;
  const message = (element.messageRef as ModdleElement | undefined)?.name;
  const implementation = element.implementation as string | undefined;
  const service = implementation ? servicePattern.exec(implementation)?.[1] : undefined;
  return {
    id: element.id ?? "",
    type: element.$type,
    ...(element.name ? { name: element.name } : {}),
    attrs,
    ...(assignee ? { assignee: assignee.trim() } : {}),
    ...(message ? { message } : {}),
    ...(service ? { service } : {}),
  };
}

function problemsOf(
  element: ModdleElement,
  activity: ActivityModel,
  knownServices: readonly string[],
): string[] {
  const where = `${activity.type.replace("bpmn:", "")} ${activity.id}`;
  const problems: string[] = [];
  switch (element.$type) {
    case "bpmn:UserTask":
      if (!activity.assignee)
        problems.push(`${where}: no assignee (a potentialOwner with a formalExpression)`);
      break;
    case "bpmn:ServiceTask":
      if (!activity.service)
        problems.push(`${where}: implementation must be \${environment.services.<name>}`);
      else if (!knownServices.includes(activity.service))
        problems.push(
          `${where}: unknown service ${activity.service} (known: ${knownServices.join(", ")})`,
        );
      break;
    case "bpmn:ReceiveTask":
      if (!activity.message)
        problems.push(`${where}: messageRef must name a <message> with a name`);
      break;
    case "bpmn:ScriptTask":
      // Scripts would run arbitrary code inside the module: not taken.
      problems.push(`${where}: script tasks are not run by this module; use a service task`);
      break;
  }
  return problems;
}

function warningText(warning: { message: string; element?: ModdleElement }): string {
  const id = warning.element?.id ? ` (${warning.element.id})` : "";
  return `${firstLine(warning.message)}${id}`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
