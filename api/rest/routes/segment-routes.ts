import {
  createSegment,
  customFieldTypes,
  getSegment,
  listSegments,
  parseSegmentQuery,
  recountSegment,
  type Segment,
  snapshotSegment,
} from '../../../engine/segments/index.js';
import { auditSegment, segmentWarehouseOf } from '../../segments/segment-services.js';
import { actorLabel } from '../../services/contacts.js';
import { defineRoute } from '../define-route.js';
import { idParamsSchema } from '../schemas/common.schema.js';
import {
  segmentCountSchema,
  segmentCreateSchema,
  segmentListSchema,
  segmentSchema,
  segmentSnapshotSchema,
} from '../schemas/segment.schema.js';

const present = (s: Segment) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  sql: s.sql,
  field_keys: s.fieldKeys,
  created_by: s.createdBy,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  archived_at: s.archivedAt,
  latest_count: s.latestCount && {
    count: s.latestCount.count,
    counted_at: s.latestCount.countedAt,
    log_position: s.latestCount.logPosition,
  },
});

/** Segments for integrators: list, read, create from SQL or the query language, count, snapshot. */
export const segmentRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/segments',
    operationId: 'listSegments',
    summary: 'List segments with their latest count',
    tag: 'Segments',
    permission: 'segments.read',
    success: { status: 200, description: 'Segments by name', schema: segmentListSchema },
    handler: async ({ services }) => ({ data: (await listSegments(services.db)).map(present) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/segments/{id}',
    operationId: 'getSegment',
    summary: 'Get a segment',
    tag: 'Segments',
    permission: 'segments.read',
    params: idParamsSchema,
    success: { status: 200, description: 'The segment', schema: segmentSchema },
    errors: [404],
    handler: async ({ params, services }) => present(await getSegment(services.db, params.id)),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/segments',
    operationId: 'createSegment',
    summary: 'Create a segment',
    description:
      'The SQL (or the query language, compiled to SQL) runs once in the SQL sandbox to count it; an error names the line and column.',
    tag: 'Segments',
    permission: 'segments.write',
    body: segmentCreateSchema,
    success: { status: 201, description: 'Created, with its first count', schema: segmentSchema },
    errors: [409, 503],
    async handler({ body, actor, services }) {
      const definition =
        body.query !== undefined
          ? { builder: parseSegmentQuery(body.query, await customFieldTypes(services.db)) }
          : { sql: body.sql ?? '' };
      const segment = await createSegment(
        services.db,
        segmentWarehouseOf(services, actor),
        { name: body.name, description: body.description, definition },
        actorLabel(actor),
        auditSegment(actor, 'create'),
      );
      return present(segment);
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/segments/{id}/count',
    operationId: 'countSegment',
    summary: 'Count a segment now',
    description: 'Counts the segment in the warehouse and adds the count to its history.',
    tag: 'Segments',
    permission: 'segments.write',
    params: idParamsSchema,
    success: { status: 200, description: 'The count', schema: segmentCountSchema },
    errors: [404, 503],
    async handler({ params, actor, services }) {
      const counted = await recountSegment(services.db, segmentWarehouseOf(services, actor), params.id);
      return {
        segment_id: params.id,
        count: counted.count,
        log_position: counted.logPosition,
        as_of: counted.asOf,
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/segments/{id}/snapshots',
    operationId: 'snapshotSegment',
    summary: 'Snapshot the members of a segment',
    description:
      'Waits until the warehouse has applied every event committed before the request, then records the members and appends segment.snapshot.',
    tag: 'Segments',
    permission: 'segments.write',
    params: idParamsSchema,
    success: { status: 201, description: 'The snapshot', schema: segmentSnapshotSchema },
    errors: [404, 409, 503],
    async handler({ params, actor, services }) {
      const s = await snapshotSegment(
        services.db,
        segmentWarehouseOf(services, actor),
        params.id,
        actorLabel(actor),
      );
      return {
        id: s.id,
        segment_id: s.segmentId,
        count: s.count,
        sql_hash: s.sqlHash,
        log_position: s.logPosition,
        requested_by: s.requestedBy,
        created_at: s.createdAt,
      };
    },
  }),
];
