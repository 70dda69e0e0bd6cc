import Docxtemplater from "docxtemplater";
import PizZip from "pizzip";

// A DOCX from a template (docxtemplater): `{name}` placeholders in the template's text become
// the values given. A placeholder without a value becomes empty text, never "undefined".

export const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export function renderDocument(template: Buffer, values: Record<string, string>): Buffer {
  const document = new Docxtemplater(new PizZip(template), {
    paragraphLoop: true,
    linebreaks: true,
    nullGetter: () => "",
  });
  document.render(values);
  return document.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" });
}
