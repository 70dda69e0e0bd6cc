import { z } from "zod";
import { amountSchema, currencySchema } from "../domain/money.js";

// Field shapes shared by the marketplace's event payloads.

export const idField = z.string().min(1).max(128);
export const orderIdField = z.uuid();
export const timeField = z.iso.datetime({ offset: true });
export const amountField = amountSchema;
export const currencyField = currencySchema;
