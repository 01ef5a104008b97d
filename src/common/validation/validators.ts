import { isWireGuardKey } from '@wgfleet/protocol';
import { isFQDN, ValidateBy, type ValidationOptions } from 'class-validator';
import * as ipaddr from 'ipaddr.js';
import { parseEndpoint } from '../domain/effective-settings';
import { AddressPoolError, parsePool } from '../domain/ip-allocation';
import { parseCidr } from '../domain/cidr';
import { hasLineBreakOrControl } from '../domain/plain-text';
import { parseTagSelector, TagSelectorError, tagsProblem } from '../domain/node-tags';
import { scopeProblem } from '../auth/domain/scope';

/**
 * class-validator decorators for DTOs. Each rule is a function returning the problem as a sentence that names the
 * field (and the item index in lists), or null. Messages never echo the value: some fields hold secrets.
 */
type Family = 4 | 6;
type Problem = (value: unknown, field: string) => string | null;

const CIDR_EXAMPLE = { 4: '10.0.1.2/32', 6: 'fd00::2/128' } as const;
const POOL_EXAMPLE = { 4: '10.0.1.0/24', 6: 'fd00:1::/64' } as const;

export function IsWireGuardKey(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isWireGuardKey',
    (value, field) =>
      isWireGuardKey(value) ? null : `${field} must be a WireGuard key: 44 characters of base64 (32 bytes)`,
    options,
  );
}

/** A node's tag map (docs/API.md "Node tags"). */
export function IsTags(options?: ValidationOptions): PropertyDecorator {
  return rule('isTags', tagsProblem, options);
}

/** A list of `key=value` tag selectors (a query parameter given once or repeated). */
export function IsTagSelectorList(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isTagSelectorList',
    (value, field) => {
      if (!Array.isArray(value)) return `${field} must be key=value, like region=eu`;
      for (const item of value) {
        if (typeof item !== 'string') return `${field} must be key=value, like region=eu`;
        try {
          parseTagSelector(item);
        } catch (error) {
          if (error instanceof TagSelectorError) return error.message;
          throw error;
        }
      }
      return null;
    },
    options,
  );
}

/**
 * A name or description shown in lists, logs, configs and chat messages: no control character and no line break
 * of any kind (U+2028, U+2029 and U+0085 included), so it can never start a line of its own.
 */
export function IsName(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isName',
    (value, field) =>
      typeof value === 'string' && hasLineBreakOrControl(value)
        ? `${field} must not contain control characters or line breaks (U+2028, U+2029 and U+0085 included)`
        : null,
    options,
  );
}

export function IsCidr(settings: { family?: Family } = {}, options?: ValidationOptions): PropertyDecorator {
  return rule('isCidr', (value, field) => cidrProblem(value, field, settings.family), options);
}

/**
 * A non-empty list unless `allowEmpty`: an empty AllowedIPs routes nothing, and null is how a setting is
 * inherited instead; an empty list of routed networks is simply none.
 */
export function IsCidrList(
  settings: { maxItems: number; family?: Family; allowEmpty?: boolean },
  options?: ValidationOptions,
): PropertyDecorator {
  const allowEmpty = settings.allowEmpty ?? false;
  return rule(
    'isCidrList',
    (value, field) =>
      listProblem(value, field, { allowEmpty, maxItems: settings.maxItems }, (item, itemField) =>
        cidrProblem(item, itemField, settings.family),
      ),
    options,
  );
}

/** DNS servers; an empty list is allowed and means "no DNS line". */
export function IsIpAddressList(
  settings: { maxItems: number } = { maxItems: 8 },
  options?: ValidationOptions,
): PropertyDecorator {
  return rule(
    'isIpAddressList',
    (value, field) =>
      listProblem(value, field, { allowEmpty: true, maxItems: settings.maxItems }, (item, itemField) =>
        typeof item === 'string' && isPlainAddress(item)
          ? null
          : `${itemField} must be an IP address like 1.1.1.1 or 2606:4700:4700::1111`,
      ),
    options,
  );
}

/** DNS search domains ("corp.example"; a single label too); an empty list is allowed and means none. */
export function IsDomainNameList(
  settings: { maxItems: number } = { maxItems: 8 },
  options?: ValidationOptions,
): PropertyDecorator {
  return rule(
    'isDomainNameList',
    (value, field) =>
      listProblem(value, field, { allowEmpty: true, maxItems: settings.maxItems }, (item, itemField) =>
        typeof item === 'string' && item.length <= 253 && isFQDN(item, { require_tld: false })
          ? null
          : `${itemField} must be a domain name like corp.example`,
      ),
    options,
  );
}

/** `{mode: "full"}` or `{mode: "split", networks: [CIDR, ...]}`: a client's routes preset. */
export function IsClientRoutes(options?: ValidationOptions): PropertyDecorator {
  return rule('isClientRoutes', clientRoutesProblem, options);
}

function clientRoutesProblem(value: unknown, field: string): string | null {
  const shape = `${field} must be {"mode": "full"} or {"mode": "split", "networks": ["10.0.0.0/8", ...]}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return shape;
  const fields = new Map(Object.entries(value));
  const extra = [...fields.keys()].find((key) => key !== 'mode' && key !== 'networks');
  if (extra !== undefined) return `${field}.${extra} is not a field of ${field}`;
  const mode = fields.get('mode');
  const networks = fields.get('networks');
  if (mode === 'full') return networks === undefined ? null : `${field}.networks is only for mode "split"`;
  if (mode !== 'split') return `${field}.mode must be "full" or "split"`;
  return listProblem(networks, `${field}.networks`, { allowEmpty: false, maxItems: 64 }, (item, itemField) =>
    cidrProblem(item, itemField),
  );
}

/** "host" or "host:port" where host is a host name, an IPv4 address or a bracketed IPv6 address. */
export function IsEndpoint(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isEndpoint',
    (value, field) =>
      typeof value === 'string' && isValidEndpoint(value)
        ? null
        : `${field} must be a host name, IPv4 address or [IPv6] address with an optional port 1-65535, ` +
          'like vpn.example.com:51820 or [2001:db8::1]:51820',
    options,
  );
}

/** "host:port", the port required: where WireGuard sends a peer's packets (a site's gateway). */
export function IsHostPort(options?: ValidationOptions): PropertyDecorator {
  return rule(
    'isHostPort',
    (value, field) =>
      typeof value === 'string' && isValidEndpoint(value) && parseEndpoint(value)?.port !== null
        ? null
        : `${field} must be host:port with a port 1-65535, like 203.0.113.9:51820, gw.example.com:51820 ` +
          'or [2001:db8::1]:51820',
    options,
  );
}

export function IsAddressPool(family: Family, options?: ValidationOptions): PropertyDecorator {
  return rule('isAddressPool', (value, field) => addressPoolProblem(value, field, family), options);
}

function rule(name: string, problem: Problem, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value, args) => problem(value, args?.property ?? name) === null,
        defaultMessage: (args) => {
          const field = args?.property ?? name;
          return problem(args?.value, field) ?? `${field} is invalid`;
        },
      },
    },
    options,
  );
}

function listProblem(
  value: unknown,
  field: string,
  size: { allowEmpty: boolean; maxItems: number },
  itemProblem: Problem,
): string | null {
  if (!Array.isArray(value)) return `${field} must be an array`;
  if (value.length === 0 && !size.allowEmpty) return `${field} must not be empty`;
  if (value.length > size.maxItems) return `${field} must have at most ${size.maxItems} items`;
  for (const [index, item] of value.entries()) {
    const problem = itemProblem(item, `${field}[${index}]`);
    if (problem) return problem;
  }
  return null;
}

/**
 * Host bits are refused ("10.0.1.5/24"): WireGuard silently masks them, and the stored value would then never
 * match what the node reports.
 */
export function cidrProblem(value: unknown, field: string, family?: Family): string | null {
  const parsed = typeof value === 'string' && isPlainCidrText(value) ? parseCidr(value) : null;
  if (!parsed || (family !== undefined && parsed.family !== family)) {
    const kind = family === undefined ? 'a CIDR' : `an IPv${family} CIDR`;
    return `${field} must be ${kind} like ${CIDR_EXAMPLE[family ?? 4]}`;
  }
  if (!hasHostBits(parsed.address.toByteArray(), parsed.prefix)) return null;
  const text = `${parsed.address.toString()}/${parsed.prefix}`;
  const network = (parsed.family === 4 ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(text).toString();
  return `${field} has host bits set: use ${network}/${parsed.prefix}`;
}

/** Whether any bit after the prefix is set; on bytes, as agent dumps check tens of thousands of CIDRs. */
function hasHostBits(bytes: number[], prefix: number): boolean {
  for (let bit = prefix; bit < bytes.length * 8; bit++) {
    if ((bytes[bit >> 3] >> (7 - (bit & 7))) & 1) return true;
  }
  return false;
}

function addressPoolProblem(value: unknown, field: string, family: Family): string | null {
  const shapeProblem = `${field} must be an IPv${family} network like ${POOL_EXAMPLE[family]}`;
  if (typeof value !== 'string' || !isPlainCidrText(value)) return shapeProblem;
  try {
    return parsePool(value).family === family ? null : shapeProblem;
  } catch (error) {
    if (error instanceof AddressPoolError) return `${field}: ${error.message}`;
    throw error;
  }
}

export function isValidEndpoint(value: string): boolean {
  const parsed = parseEndpoint(value);
  if (!parsed) return false;
  if (value.startsWith('[')) return isPlainAddress(parsed.host) && parsed.host.includes(':');
  return ipaddr.IPv4.isValidFourPartDecimal(parsed.host) || isFQDN(parsed.host, { require_tld: false });
}

function isPlainCidrText(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  return rest.length === 0 && isPlainAddress(address) && (prefix === undefined || /^\d{1,3}$/.test(prefix));
}

/** ipaddr.js also reads "10.1", "010.0.0.1" (octal) and zone ids; input must spell an address out plainly. */
function isPlainAddress(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text) || (ipaddr.IPv6.isValid(text) && !text.includes('%'));
}

/** A binding's or a token's scope (docs/SECURITY.md "Roles and scopes"). */
export function IsScope(options?: ValidationOptions): PropertyDecorator {
  return rule('isScope', scopeProblem, options);
}
