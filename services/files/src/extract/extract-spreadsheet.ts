import ExcelJS from "exceljs";

/** Sheet names and every cell's displayed value of an XLSX, one row per line. */
export async function extractSpreadsheet(bytes: Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  // exceljs' types want its own Buffer flavour; the bytes are a plain Node Buffer.
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const lines: string[] = [];
  workbook.eachSheet((sheet) => {
    lines.push(sheet.name);
    sheet.eachRow((row) => {
      const cells: string[] = [];
      row.eachCell((cell) => {
        const text = cell.text;
        if (text) cells.push(text);
      });
      if (cells.length > 0) lines.push(cells.join("\t"));
    });
  });
  return lines.join("\n");
}
