// The segments engine's boundary: what api/ and other engines may call. The dashboard imports
// segment-builder.schema.ts itself, since this file would pull server code into its bundle.
export { type CustomFieldType, compileBuilder } from './compile-builder.js';
export { parseSegmentQuery } from './parse-segment-query.js';
export {
  type Builder,
  type BuilderGroup,
  type BuilderNode,
  builderSchema,
  type Condition,
  type FieldOperator,
  fieldOperators,
  type Period,
} from './segment-builder.schema.js';
export { customFieldTypes, resolveDefinition, type SegmentDefinition } from './segment-definition.js';
export { countSegment, normaliseSegmentSql, previewSegment, type SegmentWarehouse } from './segment-query.js';
export {
  archiveSegment,
  countHistory,
  createSegment,
  getSegment,
  listSegments,
  type OnSegmentChange,
  recountSegment,
  type Segment,
  updateSegment,
} from './segments-store.js';
export { type SegmentMirror, type SnapshotWarehouse, snapshotSegment } from './snapshot-segment.js';
