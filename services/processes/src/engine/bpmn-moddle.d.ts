// The part of bpmn-moddle's API this module uses (the package ships no types).
declare module "bpmn-moddle" {
  export interface ModdleElement {
    $type: string;
    id?: string;
    name?: string;
    $attrs?: Record<string, string>;
    [property: string]: unknown;
  }
  export interface ParseWarning {
    message: string;
    element?: ModdleElement;
    property?: string;
  }
  // The package's own export is a default one; this only describes it.
  // eslint-disable-next-line no-restricted-syntax
  export default class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(
      xml: string,
    ): Promise<{ rootElement: ModdleElement; warnings: ParseWarning[]; elementsById: object }>;
  }
}
