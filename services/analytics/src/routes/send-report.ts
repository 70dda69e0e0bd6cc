import type { Response } from "express";
import { toCsv } from "../domain/to-csv.js";

/** A report as JSON (the whole report) or CSV (its rows, as a download named for it). */
export function sendReport(
  res: Response,
  format: "json" | "csv",
  report: { report: string; rows: readonly object[]; from?: string; to?: string; at?: string },
): void {
  if (format === "json") {
    res.json(report);
    return;
  }
  const name = [report.report, report.at, report.from, report.to].filter(Boolean).join("_");
  res
    .type("text/csv; charset=utf-8")
    .set("Content-Disposition", `attachment; filename="${name}.csv"`)
    .send(toCsv(report.rows));
}
