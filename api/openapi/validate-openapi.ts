import { localResolver, schemaProblems } from './json-schema-check.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Structural validation of an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0):
 * version, info, operations with responses, path parameters matching the template, unique
 * operation ids, known security schemes, every $ref resolving and every schema a well-formed
 * JSON Schema 2020-12. Returns the problems found (none for a valid document).
 */
export function validateOpenApi(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(doc)) return ['the document is not an object'];
  const resolve = localResolver(doc);
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi))
    problems.push(`openapi must be 3.1.x, is ${String(doc.openapi)}`);
  const info = doc.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    problems.push('info needs a title and a version');
  }
  if (!isObject(doc.paths)) problems.push('paths must be an object');
  const components = isObject(doc.components) ? doc.components : {};
  const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
  const checkSecurity = (security: unknown, where: string) => {
    if (security === undefined) return;
    if (!Array.isArray(security)) return problems.push(`${where}: security must be an array`);
    for (const requirement of security) {
      for (const name of Object.keys(requirement as object)) {
        if (!(name in schemes)) problems.push(`${where}: unknown security scheme ${name}`);
      }
    }
  };
  checkSecurity(doc.security, 'root');
  const checkContent = (content: unknown, where: string) => {
    if (content === undefined) return;
    if (!isObject(content)) return problems.push(`${where}: content must be an object`);
    for (const [type, media] of Object.entries(content)) {
      if (isObject(media) && media.schema !== undefined)
        problems.push(...schemaProblems(media.schema, `${where}/content/${type}/schema`, resolve));
    }
  };

  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    if (!isObject(item)) continue;
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const method of Object.keys(item).filter((k) => methods.includes(k))) {
      const where = `${method.toUpperCase()} ${path}`;
      const op = item[method];
      if (!isObject(op)) continue;
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId))
          problems.push(`${where}: duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0)
        problems.push(`${where}: no responses`);
      for (const [status, response] of Object.entries(isObject(op.responses) ? op.responses : {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status))
          problems.push(`${where}: bad response status ${status}`);
        const resolved =
          isObject(response) && typeof response.$ref === 'string' ? resolve(response.$ref) : response;
        if (!isObject(resolved) || typeof resolved.description !== 'string') {
          problems.push(`${where}: response ${status} needs a description (or a $ref that resolves)`);
        } else checkContent(resolved.content, `${where}/responses/${status}`);
      }
      const params = Array.isArray(op.parameters) ? (op.parameters as Record<string, unknown>[]) : [];
      for (const p of params) {
        if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(String(p.in))) {
          problems.push(`${where}: parameter needs a name and a valid in`);
        }
        if (p.in === 'path' && p.required !== true)
          problems.push(`${where}: path parameter ${String(p.name)} must be required`);
        if (p.schema !== undefined)
          problems.push(...schemaProblems(p.schema, `${where}/parameters/${String(p.name)}`, resolve));
      }
      const pathParams = params.filter((p) => p.in === 'path').map((p) => String(p.name));
      if (JSON.stringify([...pathParams].sort()) !== JSON.stringify([...templated].sort())) {
        problems.push(
          `${where}: path parameters ${JSON.stringify(pathParams)} do not match the template ${JSON.stringify(templated)}`,
        );
      }
      if (op.requestBody !== undefined) {
        if (!isObject(op.requestBody) || !isObject(op.requestBody.content))
          problems.push(`${where}: requestBody needs content`);
        else checkContent(op.requestBody.content, `${where}/requestBody`);
      }
      checkSecurity(op.security, where);
    }
  }
  for (const [name, schema] of Object.entries(isObject(components.schemas) ? components.schemas : {})) {
    problems.push(...schemaProblems(schema, `#/components/schemas/${name}`, resolve));
  }
  // Every $ref anywhere in the document must resolve.
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${where}/${i}`);
    } else if (isObject(node)) {
      if (typeof node.$ref === 'string' && resolve(node.$ref) === undefined)
        problems.push(`${where}: $ref ${node.$ref} does not resolve`);
      for (const [key, value] of Object.entries(node))
        if (key !== 'examples' && key !== 'const' && key !== 'enum') walk(value, `${where}/${key}`);
    }
  };
  walk(doc, '#');
  return [...new Set(problems)];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
