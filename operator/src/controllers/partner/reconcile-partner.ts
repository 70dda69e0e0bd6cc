import type { Ecosystem } from "../../api/ecosystem.types.js";
import type { PartnerIntegration } from "../../api/partner-integration.types.js";
import { parseKey, type ObjectKey } from "../../kube/kube-object.js";
import type { ChildApplier } from "../../runtime/child-applier.js";
import type { Outcome } from "../../runtime/controller.js";
import type { Informer } from "../../runtime/informer.js";
import type { StatusWriter } from "../../runtime/status-writer.js";
import { desiredPartnerChildren, partnerChildTypes } from "./desired-children.js";
import { desiredPartnerStatus } from "./desired-status.js";

export interface PartnerDeps {
  partners: Informer<PartnerIntegration>;
  ecosystems: Informer<Ecosystem>;
  children: ChildApplier;
  status: StatusWriter;
}

export async function reconcilePartner(key: ObjectKey, deps: PartnerDeps): Promise<Outcome> {
  const partner = deps.partners.get(key);
  if (!partner || partner.metadata.deletionTimestamp) return {};
  const { namespace } = parseKey(key);
  const ecosystem = deps.ecosystems.get(`${namespace}/${partner.spec.ecosystemRef.name}`);
  if (ecosystem)
    await deps.children.reconcile(
      partner,
      desiredPartnerChildren(partner, ecosystem),
      partnerChildTypes,
    );
  await deps.status.write(partner, desiredPartnerStatus(partner, Boolean(ecosystem), new Date()));
  return {};
}
