import { Command, InvalidArgumentError } from 'commander';

/** How a command-line value becomes an API field value. */
type Parse = (value: string) => unknown;

export interface FieldOption {
  flags: string;
  /** The commander option name (camelCase of the long flag). */
  key: string;
  field: string;
  description: string;
  parse: Parse;
}

const NONE = 'none';
/** What `none` parses to: commander turns a parser's null into '', so null is put in by fieldsFrom. */
const CLEAR = Symbol('clear');

export const integer: Parse = (value) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
};

export const list: Parse = (value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** For a setting that may be inherited: `none` clears it (null). */
export const clearable =
  (parse: Parse): Parse =>
  (value) =>
    value === NONE ? CLEAR : parse(value);

export const text: Parse = (value) => value;

export function addFieldOptions(command: Command, options: FieldOption[]): Command {
  for (const option of options) command.option(option.flags, option.description, option.parse);
  return command;
}

/** Only the fields given on the command line: a PATCH leaves the others as they are. */
export function fieldsFrom(values: Record<string, unknown>, options: FieldOption[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const option of options) {
    const value = values[option.key];
    if (value !== undefined) body[option.field] = value === CLEAR ? null : value;
  }
  return body;
}

export const NODE_FIELDS: FieldOption[] = [
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
  {
    flags: '--auto-reconcile <mode>',
    key: 'autoReconcile',
    field: 'auto_reconcile',
    description: 'self-heal mode of the node',
    parse: text,
  },
];

export const PEER_FIELDS: FieldOption[] = [
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
