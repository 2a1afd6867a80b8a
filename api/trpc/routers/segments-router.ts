import { z } from 'zod';
import { compileBuilder } from '../../../engine/segments/compile-builder.js';
import { parseSegmentQuery } from '../../../engine/segments/parse-segment-query.js';
import { builderSchema } from '../../../engine/segments/segment-builder.schema.js';
import { customFieldTypes, resolveDefinition } from '../../../engine/segments/segment-definition.js';
import { previewSegment } from '../../../engine/segments/segment-query.js';
import {
  archiveSegment,
  countHistory,
  createSegment,
  getSegment,
  listSegments,
  recountSegment,
  updateSegment,
} from '../../../engine/segments/segments-store.js';
import { snapshotSegment } from '../../../engine/segments/snapshot-segment.js';
import { maskName, maskPhone } from '../../auth/mask.js';
import { actorLabel } from '../../rest/data/contacts.js';
import { auditSegment, segmentWarehouseOf } from '../../segments/segment-services.js';
import { idSchema } from '../common.schema.js';
import {
  segmentCreateSchema,
  segmentDefinitionSchema,
  segmentQueryTextSchema,
  segmentUpdateSchema,
} from '../segments.schema.js';
import { permissionProcedure, router } from '../trpc.js';

const read = permissionProcedure('segments.read');
const write = permissionProcedure('segments.write');
const byId = z.strictObject({ id: idSchema });

/**
 * Segments (issue 6, items 5-8): SQL over the warehouse run in the sandbox, written with the
 * builder, the query language or SQL. Sandbox errors are BAD_REQUEST with the line and column.
 */
export const segmentsRouter = router({
  list: read
    .input(z.strictObject({ archived: z.boolean().optional() }).optional())
    .query(({ ctx, input }) => listSegments(ctx.db, { archived: input?.archived })),
  get: read.input(byId).query(({ ctx, input }) => getSegment(ctx.db, input.id)),
  create: write
    .input(segmentCreateSchema)
    .mutation(({ ctx, input }) =>
      createSegment(
        ctx.db,
        segmentWarehouseOf(ctx.services),
        input,
        actorLabel(ctx.actor),
        auditSegment(ctx.actor, 'create'),
      ),
    ),
  update: write.input(segmentUpdateSchema).mutation(({ ctx, input }) => {
    const { id, ...patch } = input;
    return updateSegment(
      ctx.db,
      segmentWarehouseOf(ctx.services),
      id,
      patch,
      auditSegment(ctx.actor, 'update'),
    );
  }),
  archive: write
    .input(byId)
    .mutation(({ ctx, input }) => archiveSegment(ctx.db, input.id, auditSegment(ctx.actor, 'archive'))),
  /** Live count and first 50 people while editing (not saved); masked like every list of people in the dashboard. */
  preview: read.input(segmentDefinitionSchema).query(async ({ ctx, input }) => {
    const resolved = await resolveDefinition(ctx.db, input);
    const preview = await previewSegment(segmentWarehouseOf(ctx.services), resolved.sql);
    const rows = preview.rows.map((r) => ({
      ...r,
      name: r.name === null ? null : maskName(r.name),
      wa_id: r.wa_id === null ? null : maskPhone(r.wa_id),
    }));
    return { ...preview, rows, masked: true };
  }),
  compile: read
    .input(z.strictObject({ builder: builderSchema }))
    .query(async ({ ctx, input }) => compileBuilder(input.builder, await customFieldTypes(ctx.db))),
  parseQuery: read.input(segmentQueryTextSchema).query(async ({ ctx, input }) => {
    const fields = await customFieldTypes(ctx.db);
    const builder = parseSegmentQuery(input.text, fields);
    return { builder, sql: compileBuilder(builder, fields).sql };
  }),
  /** Custom fields the builder offers, with their types. */
  fields: read.query(async ({ ctx }) =>
    ctx.db.selectFrom('custom_fields').select(['key', 'name', 'type', 'options']).orderBy('name').execute(),
  ),
  countHistory: read.input(byId).query(({ ctx, input }) => countHistory(ctx.db, input.id)),
  recount: write
    .input(byId)
    .mutation(({ ctx, input }) => recountSegment(ctx.db, segmentWarehouseOf(ctx.services), input.id)),
  snapshot: write
    .input(byId)
    .mutation(({ ctx, input }) =>
      snapshotSegment(ctx.db, segmentWarehouseOf(ctx.services), input.id, actorLabel(ctx.actor)),
    ),
});
