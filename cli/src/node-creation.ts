import type { NodeCreation } from './api-types';
import { CliError } from './exit-codes';

const REQUIRED_FIELDS = ['agent_url', 'interface', 'endpoint', 'address_pool'] as const;

/**
 * A new node's body without its agent secret: the fields given with those the API requires checked here, so
 * a missing one is named in the caller's words (`describe` turns API field names into flags or file keys).
 */
export function nodeCreation(
  name: string,
  fields: Partial<NodeCreation>,
  describe: (missing: string[]) => string,
): Omit<NodeCreation, 'agent_secret'> {
  const { agent_url, interface: iface, endpoint, address_pool } = fields;
  if (
    agent_url === undefined ||
    iface === undefined ||
    endpoint === undefined ||
    address_pool === undefined
  ) {
    throw new CliError(describe(REQUIRED_FIELDS.filter((field) => fields[field] === undefined)));
  }
  return { ...fields, name, agent_url, interface: iface, endpoint, address_pool };
}
