/**
 * Runs a SIMULATED fleet (see simulated-fleet.ts) in its own process, so benchmarks can tell its CPU and memory
 * from the panel's. Prints one line `READY <json>` ({ secret, agents: [{ url, interface }] }) once every agent
 * listens, and stops on SIGTERM or when its parent closes stdin.
 * Usage: fleet-simulator.ts --nodes 1000 --peers 1000 --first-peer 100 --seed <text> [--active-share 0.1]
 *        [--drifted-every 20]
 */
import { numberArg, stringArg } from '../bench-report';
import { startSimulatedFleet } from './simulated-fleet';

async function main(): Promise<void> {
  const fleet = await startSimulatedFleet({
    nodes: numberArg('nodes', 100),
    peersPerNode: numberArg('peers', 1000),
    firstPeer: numberArg('first-peer', 0),
    seed: stringArg('seed') ?? 'fleet',
    activeShare: numberArg('active-share', 0.1),
    driftedEvery: numberArg('drifted-every', 0),
  });
  const stop = () => void fleet.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.stdin.once('end', stop).resume();
  process.stdout.write(`READY ${JSON.stringify({ secret: fleet.secret, agents: fleet.agents })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
