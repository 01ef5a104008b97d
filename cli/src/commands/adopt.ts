import { NamesMappingError, parseNamesMapping } from '@wgfleet/client';
import { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import {
  ADOPTION_PLAN_FORMAT,
  AdoptionPlanFile,
  namesInPlan,
  namesOutsidePlan,
  parseAdoptionPlanFile,
} from '../adoption-file';
import type { AdoptionPlan, AdoptionResult } from '../api-types';
import { CliError, EXIT } from '../exit-codes';
import { Output } from '../output';
import { isStalePlan, PanelApi } from '../panel-api';
import { checkPlanTarget } from '../plan-file';
import { startProgress } from '../progress';
import { examples, Runtime } from '../runtime';
import { shortKey } from './format';
import { makeSavedPlan } from './saved-plan';

interface AdoptOptions {
  output?: string;
  plan?: string;
  names?: string;
  autoApprove?: boolean;
}

export function registerAdoptCommand(program: Command, runtime: Runtime): void {
  const adopt = program
    .command('adopt')
    .description(
      'take over the peers a node already has: plan (a dry run, nothing changes), then adopt exactly that plan ' +
        '(exit 4 when the node moved since). Nothing is written to the node.',
    )
    .argument('<node>', 'node id or name')
    .option(
      '-o, --output <file|json>',
      'a file: save the plan for `wgfleet adopt <node> --plan`; json: print the plan or the result as JSON',
    )
    .option('--names <file>', 'names for the peers: CSV public_key,name or YAML public_key: name')
    .option('--plan <file>', 'adopt a plan saved by `wgfleet adopt <node> -o <file>`')
    .option('--auto-approve', 'make a plan, show it and adopt it at once');
  examples(
    adopt,
    'wgfleet adopt edge-1 --names names.csv -o adopt.json && wgfleet adopt edge-1 --plan adopt.json',
    'wgfleet adopt edge-1 --names names.yaml --auto-approve',
  );
  adopt.action(
    runtime.act(async (nodeRef: string, options: AdoptOptions, command) => {
      if (options.plan && options.autoApprove) {
        throw new CliError('give either --plan <file> (from wgfleet adopt -o <file>) or --auto-approve');
      }
      const adopting = Boolean(options.plan || options.autoApprove);
      const saveTo =
        options.output && !['json', 'table', '-'].includes(options.output) ? options.output : null;
      if (adopting && saveTo) {
        throw new CliError('-o <file> saves a plan; when adopting, -o json prints the result as JSON');
      }
      const panel = await runtime.panel(command);
      const out = runtime.out(command);
      const json = options.output === 'json' || options.output === '-';
      const names = options.names ? await readNamesFile(options.names) : {};

      let saved: AdoptionPlanFile;
      if (options.plan) {
        saved = parseAdoptionPlanFile(await readText(options.plan, 'plan'), options.plan);
        const node = await panel.resolveNode(nodeRef);
        checkPlanTarget(saved, node.id, node.name, panel.connection.url);
      } else {
        saved = await makePlan(panel, nodeRef, names);
        if (!adopting) {
          if (json) out.printJson(saved);
          else {
            printPlan(out, saved);
            if (saveTo) {
              await writeFile(saveTo, JSON.stringify(saved, null, 2) + '\n');
              out.note(
                `plan ${saved.plan_id} saved to ${saveTo}; edit the names in it if you like, then adopt ` +
                  `it with: wgfleet adopt ${saved.node_name} --plan ${saveTo}`,
              );
            } else {
              out.note(
                `save it with -o <file>, then adopt it with: wgfleet adopt ${saved.node_name} --plan <file>`,
              );
            }
          }
          warnNamesOutside(out, names, saved.plan, options.names);
          return EXIT.ok;
        }
        if (!json) printPlan(out, saved);
      }
      warnNamesOutside(out, names, saved.plan, options.names);
      // The plan's names (edited in the file or not), each replaced by one of --names.
      const result = await adoptPlan(panel, saved, { ...namesInPlan(saved.plan), ...names });
      if (json) out.printJson(result);
      else printResult(out, result, saved.node_name);
      return EXIT.ok;
    }),
  );
}

function makePlan(
  panel: PanelApi,
  nodeRef: string,
  names: Record<string, string>,
): Promise<AdoptionPlanFile> {
  return makeSavedPlan(panel, nodeRef, ADOPTION_PLAN_FORMAT, 'planning the adoption on', (nodeId) =>
    panel.planAdoption(nodeId, Object.keys(names).length > 0 ? { names } : {}),
  );
}

async function adoptPlan(
  panel: PanelApi,
  saved: AdoptionPlanFile,
  names: Record<string, string>,
): Promise<AdoptionResult> {
  const progress = startProgress(`adopting on ${saved.node_name}…`);
  try {
    return await panel.adoptPlan(saved.node_id, saved.plan_id, names);
  } catch (error) {
    if (!isStalePlan(error)) throw error;
    throw new CliError(
      `the plan is stale: node ${saved.node_name}'s peers changed since it was made, so nothing was adopted.\n` +
        `Make a new one: wgfleet adopt ${saved.node_name} -o <file>`,
      EXIT.stalePlan,
    );
  } finally {
    progress.done();
  }
}

/** The names file of `--names`: CSV `public_key,name` or YAML `public_key: name`. */
export async function readNamesFile(path: string): Promise<Record<string, string>> {
  try {
    return parseNamesMapping(await readText(path, 'names file'));
  } catch (error) {
    if (error instanceof NamesMappingError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

function warnNamesOutside(
  out: Output,
  names: Record<string, string>,
  plan: AdoptionPlan,
  source: string | undefined,
): void {
  const outside = namesOutsidePlan(names, plan);
  if (outside.length === 0) return;
  out.note(
    `${source} names ${outside.length} key(s) that are no peer this plan adopts (unused): ` +
      outside.map(shortKey).join(', '),
  );
}

function printPlan(out: Output, saved: AdoptionPlanFile): void {
  const adoptable = saved.plan.adopt.filter((entry) => entry.conflict === undefined);
  const refused = saved.plan.adopt.length - adoptable.length;
  if (saved.plan.adopt.length === 0) {
    out.line(`${saved.node_name}: nothing to adopt, the panel knows every peer of the node`);
    return;
  }
  out.line(`${out.color.bold(saved.node_name)}: ${adoptable.length} to adopt, ${refused} cannot be adopted`);
  out.table(
    ['ACTION', 'NAME', 'PUBLIC KEY', 'DETAIL'],
    saved.plan.adopt.map((entry) =>
      entry.conflict === undefined
        ? [
            out.color.green('+ adopt'),
            entry.name ?? '-',
            shortKey(entry.public_key),
            `${entry.allowed_ips.join(', ')}${entry.has_preshared_key ? ' · preshared key' : ''}`,
          ]
        : [out.color.red('! conflict'), '-', shortKey(entry.public_key), entry.conflict],
    ),
  );
}

function printResult(out: Output, result: AdoptionResult, nodeName: string): void {
  out.line(`${nodeName}: adopted ${result.adopted.length}, skipped ${result.skipped.length}`);
  out.table(
    ['PEER', 'PUBLIC KEY', 'ADDRESSES'],
    result.adopted.map((peer) => [peer.name, shortKey(peer.public_key), peer.allowed_ips]),
  );
  if (result.skipped.length > 0) {
    out.table(
      ['SKIPPED', 'REASON'],
      result.skipped.map((item) => [shortKey(item.public_key), item.reason]),
    );
  }
}
