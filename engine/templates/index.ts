/**
 * engine/templates: WhatsApp message templates (DESIGN.md, "Engines"). This file is the
 * engine's API boundary: api/ calls only what is exported here.
 */
export type { TemplateAccount } from './meta-template-api.js';
export {
  type RenderedTemplate,
  renderTemplate,
  sampleValues,
  type TemplateValues,
} from './render-template.js';
export { type SendTemplateInput, sendTemplate, templateMessageComponents } from './send-template.js';
export {
  type TemplateEdit,
  type TemplateInput,
  templateComponentSchema,
  templateEditSchema,
  templateInputSchema,
} from './template.schema.js';
export {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  type Template,
  updateTemplate,
} from './templates-store.js';
export { assertValidTemplate, templateLimits, validateTemplate } from './validate-template.js';
