import { autoReconcileModeValues } from '@wgfleet/client';
import { Command, InvalidArgumentError } from 'commander';
import type { ClientRoutes, NodeCreation, PeerCreation, TemplateSettings } from './api-types';

/** How a command-line value becomes an API field value. */
type Parse<Value> = (value: string) => Value;

/** An option for one field of the API body `Body`, parsed to that field's type in the OpenAPI document. */
export type FieldOption<Body> = {
  [Field in keyof Body & string]-?: {
    flags: string;
    /** The commander option name (camelCase of the long flag). */
    key: string;
    field: Field;
    description: string;
    parse: Parse<Body[Field]>;
  };
}[keyof Body & string];

const NONE = 'none';

export const integer: Parse<number> = (value) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
};

export const list: Parse<string[]> = (value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** One of an API enum's values (`@wgfleet/client` exports them with the types). */
export const choice =
  <Value extends string>(values: readonly Value[]): Parse<Value> =>
  (value) => {
    const isChoice = (given: string): given is Value => values.some((allowed) => allowed === given);
    if (!isChoice(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value;
  };

/** For a setting that may be inherited: `none` clears it (null). */
export const clearable =
  <Value>(parse: Parse<Value>): Parse<Value | null> =>
  (value) =>
    value === NONE ? null : parse(value);

export const text: Parse<string> = (value) => value;

/**
 * Commander checks each value as it reads it (a bad one is a usage error naming the option) and keeps the
 * text; `fieldsFrom` parses it again into its field's type, which commander's untyped option values lose.
 */
export function addFieldOptions<Body>(command: Command, options: FieldOption<Body>[]): Command {
  for (const option of options) {
    command.option(option.flags, option.description, (value: string) => {
      option.parse(value);
      return value;
    });
  }
  return command;
}

function setField<Body, Field extends keyof Body>(
  body: Partial<Body>,
  option: { field: Field; parse: Parse<Body[Field]> },
  given: string,
): void {
  body[option.field] = option.parse(given);
}

/** Only the fields given on the command line: a PATCH leaves the others as they are. */
export function fieldsFrom<Body>(
  values: Record<string, unknown>,
  options: FieldOption<Body>[],
): Partial<Body> {
  const body: Partial<Body> = {};
  for (const option of options) {
    const given = values[option.key];
    if (typeof given === 'string') setField(body, option, given);
  }
  return body;
}

/** The settings a node overrides for its peers, which a template sets the same way. */
type OverrideFields = Pick<
  NodeCreation,
  | 'override_listen_port'
  | 'override_dns'
  | 'override_mtu'
  | 'override_keepalive'
  | 'override_endpoint_allowed_ip'
>;

const OVERRIDE_FIELDS: FieldOption<OverrideFields>[] = [
  {
    flags: '--override-listen-port <port|none>',
    key: 'overrideListenPort',
    field: 'override_listen_port',
    description: 'listen port the panel enforces (none: not enforced)',
    parse: clearable(integer),
  },
  {
    flags: '--override-dns <list|none>',
    key: 'overrideDns',
    field: 'override_dns',
    description: 'DNS for its peers',
    parse: clearable(list),
  },
  {
    flags: '--override-mtu <mtu|none>',
    key: 'overrideMtu',
    field: 'override_mtu',
    description: 'MTU for its peers',
    parse: clearable(integer),
  },
  {
    flags: '--override-keepalive <seconds|none>',
    key: 'overrideKeepalive',
    field: 'override_keepalive',
    description: 'persistent keepalive for its peers',
    parse: clearable(integer),
  },
  {
    flags: '--override-endpoint-allowed-ip <list|none>',
    key: 'overrideEndpointAllowedIp',
    field: 'override_endpoint_allowed_ip',
    description: "AllowedIPs in its peers' client configs",
    parse: clearable(list),
  },
];

export const NODE_FIELDS: FieldOption<NodeCreation>[] = [
  {
    flags: '--agent-url <url>',
    key: 'agentUrl',
    field: 'agent_url',
    description: "the agent's URL",
    parse: text,
  },
  {
    flags: '--interface <name>',
    key: 'interface',
    field: 'interface',
    description: 'WireGuard interface',
    parse: text,
  },
  {
    flags: '--endpoint <host:port>',
    key: 'endpoint',
    field: 'endpoint',
    description: 'endpoint clients dial',
    parse: text,
  },
  {
    flags: '--address-pool <cidr>',
    key: 'addressPool',
    field: 'address_pool',
    description: 'pool peer addresses come from',
    parse: text,
  },
  {
    flags: '--listen-port <port>',
    key: 'listenPort',
    field: 'listen_port',
    description: 'interface listen port',
    parse: integer,
  },
  ...OVERRIDE_FIELDS,
  {
    flags: '--auto-reconcile <mode>',
    key: 'autoReconcile',
    field: 'auto_reconcile',
    description: 'self-heal mode of the node',
    parse: choice(autoReconcileModeValues),
  },
];

/** `full`, `split:<cidr>,<cidr>...` or `none`. */
const clientRoutes: Parse<ClientRoutes | null> = (value) => {
  if (value === NONE) return null;
  if (value === 'full') return { mode: 'full' };
  const networks = value.startsWith('split:') ? list(value.slice('split:'.length)) : [];
  if (networks.length === 0) throw new InvalidArgumentError('must be full, split:<cidr>,<cidr>... or none');
  return { mode: 'split', networks };
};

/** A template's settings; `none` removes one from the template (its nodes then inherit it). */
export const TEMPLATE_FIELDS: FieldOption<TemplateSettings>[] = [
  ...OVERRIDE_FIELDS,
  {
    flags: '--client-dns-search <list|none>',
    key: 'clientDnsSearch',
    field: 'client_dns_search',
    description: "search domains in clients' DNS line",
    parse: clearable(list),
  },
  {
    flags: '--client-routes <full|split:cidr,...|none>',
    key: 'clientRoutes',
    field: 'client_routes',
    description: "clients' AllowedIPs preset: full tunnel or the listed networks",
    parse: clientRoutes,
  },
  {
    flags: '--interface-mtu <mtu|none>',
    key: 'interfaceMtu',
    field: 'interface_mtu',
    description: "the server interface's MTU",
    parse: clearable(integer),
  },
  {
    flags: '--fwmark <mark|none>',
    key: 'fwmark',
    field: 'fwmark',
    description: "the server interface's firewall mark (0 clears it on the node)",
    parse: clearable(integer),
  },
];

export const PEER_FIELDS: FieldOption<PeerCreation>[] = [
  {
    flags: '--public-key <key>',
    key: 'publicKey',
    field: 'public_key',
    description: "the client's public key (generated when omitted)",
    parse: text,
  },
  {
    flags: '--allowed-ips <list>',
    key: 'allowedIps',
    field: 'allowed_ips',
    description: 'tunnel addresses (next free when omitted)',
    parse: list,
  },
  {
    flags: '--dns <list|none>',
    key: 'dns',
    field: 'dns',
    description: 'DNS (none: inherit)',
    parse: clearable(list),
  },
  {
    flags: '--mtu <mtu|none>',
    key: 'mtu',
    field: 'mtu',
    description: 'MTU (none: inherit)',
    parse: clearable(integer),
  },
  {
    flags: '--keepalive <seconds|none>',
    key: 'keepalive',
    field: 'persistent_keepalive',
    description: 'persistent keepalive (none: inherit)',
    parse: clearable(integer),
  },
  {
    flags: '--endpoint-allowed-ips <list|none>',
    key: 'endpointAllowedIps',
    field: 'endpoint_allowed_ips',
    description: "AllowedIPs of the client's config (none: inherit)",
    parse: clearable(list),
  },
  {
    flags: '--routed-ips <list|none>',
    key: 'routedIps',
    field: 'routed_ips',
    description: "networks outside the node's pool the peer routes, a site's LANs (none: no more)",
    parse: (value) => (value === NONE ? [] : list(value)),
  },
  {
    flags: '--endpoint <host:port|none>',
    key: 'endpoint',
    field: 'endpoint',
    description: "host:port the node sends to, a site's gateway (none: where the peer connects from)",
    parse: clearable(text),
  },
];
