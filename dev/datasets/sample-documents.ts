import { createRequire } from "node:module";
import ExcelJS from "exceljs";
import jpeg from "jpeg-js";
import JSZip from "jszip";
import PDFDocument from "pdfkit";

// Real documents of every kind the files module indexes, made here rather than checked in:
// DOCX (a minimal WordprocessingML package), XLSX (exceljs), PDF (pdfkit with an embedded
// DejaVu font, so Cyrillic text is real text with a ToUnicode map) and a JPEG with EXIF
// (jpeg-js pixels plus an APP1 segment written by hand). Tests and the benchmark use them.

const require = createRequire(import.meta.url);
const fontPath = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");

export const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A DOCX with one paragraph per entry. */
export async function sampleDocx(paragraphs: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`,
  );
  zip.file(
    "_rels/.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`,
  );
  const body = paragraphs
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(p)}</w:t></w:r></w:p>`)
    .join("");
  zip.file(
    "word/document.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** An XLSX with one sheet of rows. */
export async function sampleXlsx(
  sheet: string,
  rows: Array<Array<string | number>>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet(sheet);
  for (const row of rows) worksheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A PDF with one line of text per entry, and a title in its info dictionary. */
export async function samplePdf(lines: string[], title?: string): Promise<Buffer> {
  const doc = new PDFDocument({ info: title ? { Title: title } : {} });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolveEnd) => doc.on("end", () => resolveEnd()));
  doc.font(fontPath);
  for (const line of lines) doc.text(line);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

export interface ExifFields {
  make?: string;
  model?: string;
  description?: string;
  artist?: string;
}

/** A small JPEG carrying EXIF (ASCII fields of IFD0). */
export function sampleJpeg(exif: ExifFields, size = 16): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let i = 0; i < pixels.length; i += 4) pixels.set([40, 120, 200, 255], i);
  const image = jpeg.encode({ data: pixels, width: size, height: size }, 80).data;
  const app1 = exifSegment(exif);
  // After SOI (FF D8): the APP1 segment, then the encoder's own segments.
  return Buffer.concat([image.subarray(0, 2), app1, image.subarray(2)]);
}

function exifSegment(exif: ExifFields): Buffer {
  const tags: Array<[number, string | undefined]> = [
    [0x010e, exif.description],
    [0x010f, exif.make],
    [0x0110, exif.model],
    [0x013b, exif.artist],
  ];
  const entries = tags.filter((t): t is [number, string] => t[1] !== undefined);
  const ifdSize = 2 + entries.length * 12 + 4;
  const tiff: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write("II", 0, "ascii");
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16LE(entries.length, 0);
  let dataOffset = 8 + ifdSize;
  const data: Buffer[] = [];
  entries.forEach(([tag, value], i) => {
    const bytes = Buffer.from(`${value}\0`, "ascii");
    const at = 2 + i * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(2, at + 2); // ASCII
    ifd.writeUInt32LE(bytes.length, at + 4);
    if (bytes.length <= 4) bytes.copy(ifd, at + 8);
    else {
      ifd.writeUInt32LE(dataOffset, at + 8);
      data.push(bytes);
      dataOffset += bytes.length;
    }
  });
  tiff.push(header, ifd, ...data);
  const payload = Buffer.concat([Buffer.from("Exif\0\0", "binary"), ...tiff]);
  const marker = Buffer.alloc(4);
  marker.writeUInt16BE(0xffe1, 0);
  marker.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([marker, payload]);
}
