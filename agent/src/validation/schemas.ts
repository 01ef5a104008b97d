import Ajv, { type ErrorObject } from 'ajv';
import { isWireGuardKey, type WirePeer } from '@wgfleet/protocol';
import { isCidr, isEndpoint } from './network';

/**
 * One Ajv instance validates every body: Fastify uses it for route schemas and the batch route for its
 * items one by one. Nothing is coerced or silently dropped, so an unknown field is an error.
 */
export const ajv = new Ajv({
  allErrors: false,
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  strict: true,
  allowUnionTypes: true,
});

const FORMATS: Record<string, { validate: (value: string) => boolean; description: string }> = {
  'wg-key': { validate: isWireGuardKey, description: 'must be a WireGuard key (32 bytes, standard base64)' },
  cidr: { validate: isCidr, description: 'must be an IP address or CIDR, e.g. 10.0.0.2/32' },
  endpoint: {
    validate: isEndpoint,
    description: 'must be host:port, e.g. 203.0.113.5:51820 or [2001:db8::1]:51820',
  },
};
for (const [name, format] of Object.entries(FORMATS))
  ajv.addFormat(name, { type: 'string', validate: format.validate });

const wgKey = { type: 'string', format: 'wg-key' };
const port = { type: 'integer', minimum: 0, maximum: 65535 };
const peerFields = {
  allowed_ips: { type: 'array', maxItems: 1024, items: { type: 'string', format: 'cidr' } },
  preshared_key: { type: ['string', 'null'], format: 'wg-key' },
  persistent_keepalive: { type: 'integer', minimum: 0, maximum: 65535 },
  endpoint: { type: ['string', 'null'], format: 'endpoint' },
};

export const peerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['public_key', 'allowed_ips'],
  properties: { public_key: wgKey, ...peerFields },
};

/** PUT /peers/{key}: every field optional; a public_key, if sent, must match the path. */
export const peerUpdateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { public_key: wgKey, ...peerFields },
};

/** Items are checked one by one (validateBatchPeer, isWireGuardKey) so one bad item does not fail the batch. */
export const batchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { upsert: { type: 'array', items: {} }, remove: { type: 'array', items: {} } },
};

export const syncconfSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['peers'],
  properties: { listen_port: port, peers: { type: 'array', items: peerSchema } },
};

export const interfaceUpdateSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    listen_port: port,
    mtu: { type: 'integer', minimum: 1280, maximum: 9000 },
    fwmark: { type: 'integer', minimum: 0, maximum: 0xffffffff },
  },
};

/** ("upsert[0]", "/allowed_ips/1") → "upsert[0].allowed_ips[1]"; the whole body is "body". */
function fieldName(prefix: string, instancePath: string, child?: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  const name = segments.reduce(
    (path, segment) =>
      /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
    prefix,
  );
  return name || 'body';
}

/** A message that names the offending field and never echoes its value (it may be a key). */
export function describeValidationError(error: ErrorObject, prefix = ''): string {
  const field = (child?: string) => fieldName(prefix, error.instancePath, child);
  switch (error.keyword) {
    case 'additionalProperties':
      return `${field(String(error.params.additionalProperty))}: unknown field`;
    case 'required':
      return `${field(String(error.params.missingProperty))}: is required`;
    case 'format':
      return `${field()}: ${FORMATS[String(error.params.format)]?.description ?? 'has the wrong format'}`;
    default:
      return `${field()}: ${error.message ?? 'is invalid'}`;
  }
}

const peerValidator = ajv.compile<WirePeer>(peerSchema);

export type ItemCheck<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates `upsert[index]` of a batch on its own. */
export function validateBatchPeer(item: unknown, index: number): ItemCheck<WirePeer> {
  if (peerValidator(item)) return { ok: true, value: item };
  return { ok: false, error: describeValidationError(peerValidator.errors![0], `upsert[${index}]`) };
}

export function validateBatchKey(item: unknown, index: number): ItemCheck<string> {
  return isWireGuardKey(item)
    ? { ok: true, value: item }
    : { ok: false, error: `remove[${index}]: ${FORMATS['wg-key'].description}` };
}
