import type { MediaType, OpenApiDocument, OpenApiOperation } from './build-document.js';
import type { JsonSchema } from './to-json-schema.js';

/**
 * GET /docs/api: the OpenAPI document rendered as one self-contained HTML page (no CDN,
 * no script: these machines have no internet, and integrators may read it offline).
 */
export function renderReferencePage(doc: OpenApiDocument): string {
  const info = doc.info as { title: string; version: string; description: string };
  const byTag = new Map<string, [string, string, OpenApiOperation][]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), [method, path, op]]);
    }
  }
  const nav = [...byTag]
    .map(
      ([tag, ops]) =>
        `<li><strong>${esc(tag)}</strong><ul>${ops
          .map(
            ([m, p, op]) =>
              `<li><a href="#op-${esc(op.operationId)}"><code>${m.toUpperCase()}</code> ${esc(p)}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const operations = [...byTag]
    .map(
      ([tag, ops]) => `<h2>${esc(tag)}</h2>${ops.map(([m, p, op]) => operationHtml(m, p, op, doc)).join('')}`,
    )
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${schemaHtml(schema)}</section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)}</title><style>${css}</style></head>
<body><nav><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1><p><a href="/openapi.json">openapi.json</a></p><ul>${nav}<li><a href="#schemas"><strong>Schemas</strong></a></li></ul></nav>
<main><p>${inline(info.description)}</p>${operations}<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
}

function operationHtml(method: string, path: string, op: OpenApiOperation, doc: OpenApiDocument): string {
  const params = op.parameters?.length
    ? `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <em>required</em>' : ''}</td><td>${p.in}</td><td>${typeText(p.schema)}</td><td>${esc(p.description ?? '')}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const json = op.requestBody?.content['application/json'];
  const file = op.requestBody && !json ? Object.keys(op.requestBody.content)[0] : undefined;
  const body = json
    ? `<h4>Request body</h4>${schemaHtml(json.schema)}`
    : file
      ? `<h4>Request body</h4><p>A <code>${esc(file)}</code> file. ${esc(op.requestBody?.description ?? '')}</p>`
      : '';
  const responses = Object.entries(op.responses)
    .map(([status, response]) => {
      const resolved =
        '$ref' in response
          ? ((
              doc.components.responses as Record<
                string,
                { description: string; content?: Record<string, MediaType> }
              >
            )[response.$ref.split('/').pop()!] ?? { description: '' })
          : response;
      const schema = resolved.content?.['application/json']?.schema;
      const files = Object.keys(resolved.content ?? {}).filter((type) => type !== 'application/json');
      const answer = schema
        ? typeText(schema)
        : files.length > 0
          ? files.map((type) => `<code>${esc(type)}</code>`).join(' or ')
          : '(no body)';
      return `<tr><td><code>${status}</code></td><td>${esc(resolved.description)}</td><td>${answer}</td></tr>`;
    })
    .join('');
  return `<section class="op" id="op-${esc(op.operationId)}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
<p><strong>${esc(op.summary)}</strong>${op.description ? ` ${inline(op.description)}` : ''}</p><p>Permission (token scope): <code>${esc(op['x-permission'])}</code></p>
${params}${body}<h4>Responses</h4><table><tr><th>Status</th><th>Meaning</th><th>Body</th></tr>${responses}</table></section>`;
}

/** A schema as a table of its properties, or a one-line type for anything else. */
function schemaHtml(schema: JsonSchema): string {
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const description = typeof schema.description === 'string' ? `<p>${esc(schema.description)}</p>` : '';
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) {
    return `${description}<p>One of:</p><ul>${variants.map((v) => `<li>${schemaHtml(v)}</li>`).join('')}</ul>`;
  }
  if (!props) return `${description}<p>${typeText(schema)}</p>`;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(props)
    .map(
      ([name, p]) =>
        `<tr><td><code>${esc(name)}</code>${required.has(name) ? ' <em>required</em>' : ''}</td><td>${typeText(p)}</td><td>${esc(String(p.description ?? ''))}${constraints(p)}</td></tr>`,
    )
    .join('');
  const closed = schema.additionalProperties === false ? '<p class="note">No other fields.</p>' : '';
  return `${description}<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>${rows}</table>${closed}`;
}

function typeText(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  if (schema.const !== undefined) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
  const variants = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (variants) return variants.map(typeText).join(' | ');
  if (schema.type === 'array')
    return `array of ${schema.items ? typeText(schema.items as JsonSchema) : 'anything'}`;
  if (schema.type === 'object' && schema.properties) {
    return `object {${Object.keys(schema.properties as object)
      .map(esc)
      .join(', ')}}`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
  return esc(schema.format ? `${type} (${schema.format})` : type);
}

function constraints(schema: JsonSchema): string {
  const parts: string[] = [];
  for (const key of [
    'minLength',
    'maxLength',
    'minimum',
    'maximum',
    'minItems',
    'maxItems',
    'pattern',
  ] as const) {
    const value = schema[key];
    if (value === undefined || (key === 'pattern' && String(value).length > 40)) continue;
    if (typeof value === 'number' && Math.abs(value) === Number.MAX_SAFE_INTEGER) continue;
    parts.push(`${key} ${String(value)}`);
  }
  if (Array.isArray(schema.examples)) parts.push(`example ${JSON.stringify(schema.examples[0])}`);
  return parts.length ? ` <span class="c">${esc(parts.join('; '))}</span>` : '';
}

function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const css = `body{margin:0;display:flex;font:15px/1.5 system-ui,sans-serif;color:#1d2433}
nav{position:sticky;top:0;align-self:flex-start;width:280px;height:100vh;overflow:auto;padding:16px;background:#f4f6f8;box-sizing:border-box}
nav ul{list-style:none;padding-left:8px}main{flex:1;max-width:960px;padding:16px 32px}
table{border-collapse:collapse;width:100%;margin:8px 0}td,th{border:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}
code{background:#eef1f4;padding:0 3px;border-radius:3px}.op{border-top:1px solid #d8dee4;padding-top:8px}
.m{display:inline-block;min-width:56px;text-align:center;color:#fff;border-radius:3px;font-size:13px}
.get{background:#1f7a4d}.post{background:#1f5fa8}.patch{background:#a86a1f}.delete{background:#a8321f}
.c,.note{color:#57606a;font-size:13px}@media (max-width:700px){body{display:block}nav{position:static;width:auto;height:auto}main{padding:8px}
td,th,code,h3,p{overflow-wrap:anywhere}table{table-layout:fixed}pre{white-space:pre-wrap;overflow-wrap:anywhere}}`;
