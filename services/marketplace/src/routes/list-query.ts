import { parseInput } from "@symbiont/service-kit";
import { z } from "zod";
import { orderStatuses } from "../domain/order-machine.js";
import { partnerIdSchema } from "../domain/partner.js";

const orderListQuery = z.strictObject({
  status: z.enum(orderStatuses).optional(),
  partnerId: partnerIdSchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(1_000).default(50),
});

/** `?status=paid&page=2&pageSize=50` (and `partnerId` where the caller may choose one). */
export function parseOrderListQuery(query: unknown) {
  const q = parseInput(orderListQuery, query, "query");
  return {
    ...(q.status ? { status: q.status } : {}),
    ...(q.partnerId ? { partnerId: q.partnerId } : {}),
    skip: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
    page: q.page,
  };
}
