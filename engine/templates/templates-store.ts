import type { Db, Tx } from '../../core/db/database.js';
import { inTransaction } from '../../core/db/in-transaction.js';
import { AppError } from '../../core/errors.js';
import { append } from '../../core/log/append.js';
import { callMeta, type TemplateAccount } from './meta-template-api.js';
import type { TemplateComponent, TemplateEdit, ValidTemplateInput } from './template.schema.js';
import { assertValidTemplate } from './validate-template.js';

export interface Template {
  id: string;
  name: string;
  language: string;
  category: ValidTemplateInput['category'];
  parameterFormat: 'positional' | 'named';
  components: TemplateComponent[];
  status: string;
  /** Meta's reason for the last status (e.g. INVALID_FORMAT), null when none. */
  statusReason: string | null;
  statusDetail: Record<string, unknown> | null;
  metaTemplateId: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Validates against Meta's rules, submits to Meta, then stores the template and appends
 * template.created in one transaction. Nothing is sent to Meta for an invalid template.
 */
export async function createTemplate(db: Db, account: TemplateAccount, input: unknown, by: string) {
  const t = assertValidTemplate(input);
  const taken = await db
    .selectFrom('templates')
    .select('id')
    .where('name', '=', t.name)
    .where('language', '=', t.language)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (taken) {
    const reason = `a template ${t.name} in ${t.language} exists already (id ${taken.id})`;
    throw new AppError('conflict', reason, [{ field: 'name', reason }]);
  }
  const answer = await callMeta(account, 'POST', `${account.wabaId}/message_templates`, {
    name: t.name,
    language: t.language,
    category: t.category,
    parameter_format: t.parameter_format,
    components: t.components,
  });
  const metaId = String(answer.id);
  const status = typeof answer.status === 'string' ? answer.status : 'PENDING';
  return inTransaction(db, async (tx) => {
    const row = await tx
      .insertInto('templates')
      .values({
        name: t.name,
        language: t.language,
        category: t.category,
        parameter_format: t.parameter_format,
        components: JSON.stringify(t.components),
        status,
        meta_template_id: metaId,
        created_by: by,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await append(tx, [
      {
        type: 'template.created',
        source: 'api',
        payload: { ...eventFields(row.id, t, metaId, status), by },
      },
    ]);
    return getTemplate(tx, row.id);
  });
}

/** Edits category and components at Meta (which sends the template back to review). */
export async function updateTemplate(
  db: Db,
  account: TemplateAccount,
  id: string,
  edit: TemplateEdit,
  by: string,
) {
  const current = await getTemplate(db, id);
  const t = assertValidTemplate({
    name: current.name,
    language: current.language,
    category: edit.category ?? current.category,
    parameter_format: current.parameterFormat,
    components: edit.components,
  });
  const metaId = requireMetaId(current);
  await callMeta(account, 'POST', metaId, { category: t.category, components: t.components });
  return inTransaction(db, async (tx) => {
    await tx
      .updateTable('templates')
      .set({
        category: t.category,
        components: JSON.stringify(t.components),
        status: 'PENDING',
        status_reason: null,
        status_detail: null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    await append(tx, [
      { type: 'template.updated', source: 'api', payload: { ...eventFields(id, t, metaId, 'PENDING'), by } },
    ]);
    return getTemplate(tx, id);
  });
}

/** Deletes this one template (this language) at Meta, then marks it deleted here. */
export async function deleteTemplate(
  db: Db,
  account: TemplateAccount,
  id: string,
  by: string,
): Promise<void> {
  const current = await getTemplate(db, id);
  const metaId = requireMetaId(current);
  const query = new URLSearchParams({ name: current.name, hsm_id: metaId });
  await callMeta(account, 'DELETE', `${account.wabaId}/message_templates?${query}`);
  await inTransaction(db, async (tx) => {
    await tx
      .updateTable('templates')
      .set({ deleted_at: new Date(), status: 'DELETED', updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await append(tx, [
      {
        type: 'template.deleted',
        source: 'api',
        payload: {
          template_id: id,
          name: current.name,
          language: current.language,
          meta_template_id: metaId,
          by,
        },
      },
    ]);
  });
}

export async function listTemplates(db: Db | Tx, filter: { status?: string } = {}): Promise<Template[]> {
  let query = db.selectFrom('templates').selectAll().where('deleted_at', 'is', null);
  if (filter.status) query = query.where('status', '=', filter.status);
  const rows = await query.orderBy('name').orderBy('language').execute();
  return rows.map(present);
}

export async function getTemplate(db: Db | Tx, id: string): Promise<Template> {
  const row = await db
    .selectFrom('templates')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row)
    throw new AppError('not_found', `no template ${id}`, [{ field: 'id', reason: 'no such template' }]);
  return present(row);
}

function requireMetaId(t: Template): string {
  if (t.metaTemplateId) return t.metaTemplateId;
  throw new AppError('conflict', `template ${t.id} was never accepted by Meta`);
}

function eventFields(id: string, t: ValidTemplateInput, metaId: string, status: string) {
  return {
    template_id: id,
    name: t.name,
    language: t.language,
    category: t.category,
    parameter_format: t.parameter_format,
    components: t.components as Record<string, unknown>[],
    meta_template_id: metaId,
    status,
  };
}

type Row = Awaited<ReturnType<typeof rowType>>;
const rowType = (db: Db) => db.selectFrom('templates').selectAll().executeTakeFirstOrThrow();

function present(row: Row): Template {
  return {
    id: row.id,
    name: row.name,
    language: row.language,
    category: row.category,
    parameterFormat: row.parameter_format,
    components: row.components as TemplateComponent[],
    status: row.status,
    statusReason: row.status_reason,
    statusDetail: row.status_detail as Record<string, unknown> | null,
    metaTemplateId: row.meta_template_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
