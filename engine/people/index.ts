// The people engine's boundary: what api/ and other engines may call.
export { type ContactRow, createContact, getContact, listContacts, updateContact } from './contact-rows.js';
export {
  type CustomField,
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from './custom-fields.js';
export { type ExportOptions, exportPeopleCsv } from './export-people-csv.js';
export {
  createImport,
  getImport,
  type ImportView,
  importErrors,
  listImports,
  startImport,
} from './imports/contact-imports.js';
export { createImportWorker, type ImportWorker, type ImportWorkerOptions } from './imports/import-worker.js';
export { MAX_IMPORT_BYTES, tooLarge } from './imports/parse-csv-file.js';
export { type PreviewRow, previewImport } from './imports/preview-import.js';
export { bsuidPattern } from './imports/read-import-row.js';
export { listPeople, type PeopleFilter } from './list-people.js';
export { peopleLabels } from './people-labels.js';
export {
  getPerson,
  getPersonDetail,
  type PersonDetail,
  type PersonRecord,
  personColumns,
} from './person-record.js';
export { personTimeline, type TimelineItem } from './person-timeline.js';
export { derivedTimezone, normalisePhone, phoneOf } from './phone.js';
export { setLabels } from './set-labels.js';
export { spreadsheetSafe } from './spreadsheet-safe.js';
export { type PersonPatch, updatePerson } from './update-person.js';
