import { ApiError, badRequest, conflict } from '../../common/http/api-error';
import type { AllocationError } from './domain/peer-allocation';

/** The API's answer to a refused allocation. */
export function allocationApiError({ problem }: AllocationError): ApiError {
  switch (problem.kind) {
    case 'node_address':
      return badRequest('allowed_ips', `${problem.cidr} is the address of node ${problem.nodeName} itself`);
    case 'key_taken':
      return conflict('another peer of this node already has this public key', [
        { field: 'public_key', message: 'public_key is already used on this node' },
      ]);
    case 'address_taken':
      return conflict(`${problem.addresses.join(', ')} already belongs to another peer`, [
        { field: 'allowed_ips', message: 'address already allocated' },
      ]);
    case 'pool_full':
      return conflict(`the address pool ${problem.pool} is full`, [
        { field: 'allowed_ips', message: 'no free address left' },
      ]);
    case 'range_in_pool':
      return badRequest(
        problem.field,
        problem.field === 'routed_ips'
          ? `${problem.cidr} overlaps the node's pool ${problem.pool}; routed networks lie outside it`
          : `${problem.cidr} is a range inside the node's pool ${problem.pool}; a peer holds single addresses there`,
      );
    case 'route_taken':
      return conflict(
        `${problem.cidr} overlaps ${problem.held.cidr} of peer ${problem.held.peerName} on this node`,
        [{ field: problem.field, message: 'overlaps a network another peer holds' }],
      );
  }
}
