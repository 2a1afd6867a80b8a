import { z } from 'zod';
import { AppError } from '../../../core/errors.js';
import {
  archiveSegment,
  builderSchema,
  compileBuilder,
  countHistory,
  createSegment,
  customFieldTypes,
  getSegment,
  listSegments,
  parseSegmentQuery,
  previewSegment,
  recountSegment,
  resolveDefinition,
  snapshotSegment,
  updateSegment,
} from '../../../engine/segments/index.js';
import { can } from '../../auth/actor.js';
import { maskName, maskPhone } from '../../auth/mask.js';
import { auditPreviewReveal, auditSegment, segmentWarehouseOf } from '../../segments/segment-services.js';
import { actorLabel } from '../../services/contacts.js';
import { idSchema } from '../common.schema.js';
import {
  segmentCreateSchema,
  segmentPreviewSchema,
  segmentQueryTextSchema,
  segmentUpdateSchema,
} from '../segments.schema.js';
import { permissionProcedure, router } from '../trpc.js';

const read = permissionProcedure('segments.read');
const write = permissionProcedure('segments.write');
const byId = z.strictObject({ id: idSchema });

/**
 * Segments: SQL over the warehouse run in the sandbox, written with the
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
        segmentWarehouseOf(ctx.services, ctx.actor),
        input,
        actorLabel(ctx.actor),
        auditSegment(ctx.actor, 'create'),
      ),
    ),
  update: write.input(segmentUpdateSchema).mutation(({ ctx, input }) => {
    const { id, ...patch } = input;
    return updateSegment(
      ctx.db,
      segmentWarehouseOf(ctx.services, ctx.actor),
      id,
      patch,
      auditSegment(ctx.actor, 'update'),
    );
  }),
  archive: write
    .input(byId)
    .mutation(({ ctx, input }) => archiveSegment(ctx.db, input.id, auditSegment(ctx.actor, 'archive'))),
  /**
   * Live count and first 50 people while editing (not saved). Names and numbers are masked like
   * every list of people in the dashboard, unless `reveal` is set by a caller with pii.read;
   * each revealed person gets a pii.reveal event, as on the people pages.
   */
  preview: read.input(segmentPreviewSchema).query(async ({ ctx, input }) => {
    const { reveal = false, ...definition } = input;
    if (reveal && !can(ctx.actor, 'pii.read')) {
      throw new AppError('forbidden', 'revealing names and numbers needs the pii.read permission', [
        { field: 'reveal', reason: 'needs the pii.read permission' },
      ]);
    }
    const resolved = await resolveDefinition(ctx.db, definition);
    const preview = await previewSegment(segmentWarehouseOf(ctx.services, ctx.actor), resolved.sql);
    if (reveal) {
      await auditPreviewReveal(
        ctx.db,
        ctx.actor,
        preview.rows.map((r) => r.contact_id),
      );
      return { ...preview, masked: false };
    }
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
    .mutation(({ ctx, input }) =>
      recountSegment(ctx.db, segmentWarehouseOf(ctx.services, ctx.actor), input.id),
    ),
  snapshot: write
    .input(byId)
    .mutation(({ ctx, input }) =>
      snapshotSegment(ctx.db, segmentWarehouseOf(ctx.services, ctx.actor), input.id, actorLabel(ctx.actor)),
    ),
});
