/**
 * `platform-stacks drill --help`, `platform-stacks drill <drill> [--execute] [--via-automation] [--automation-timeout <duration>]
 *   [--stack-outputs file.json] [--report-dir dir] [--param Name=value]... [--tier <dr tier>] [--fault-at <ISO time>] [--rpo-seconds <n>]
 *   [--cdk-out dir] [--service name] [--yes]` (`npm run drill -- ...` in this repository).
 *
 * Without --execute: prints the plan, parameters resolved from the stack outputs (or placeholders read from
 * the cloud assembly). With --execute: runs the steps with AWS SDK v3 and writes the report; with --via-automation
 * (or when a step's API is not in the SDK registry) it starts the drill's SSM Automation document instead and follows it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { DRILLS, automationDocumentName, findDrill } from '../../constructs/core/drills';
import { DrTier } from '../../constructs/core/dr-tier';
import { parseDuration } from '../../constructs/core/duration';
import { StackOutput } from '../../constructs/core/stack-outputs';
import { automationParameters, runDrillAutomation } from './automation';
import type { AwsCaller } from './aws';
import type { StackOutputs } from './plan';
import { readCloudAssembly, renderPlan, resolveParameters, serviceName, stackName } from './plan';
import { writeReport } from './report';
import type { DrillReport } from './report';
import type { DrillClock, DrillEvent } from './runner';
import { runDrill } from './runner';

/** What the CLI talks to; tests replace each. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly aws: () => AwsCaller;
  readonly confirm: (message: string, timeoutMs: number) => Promise<boolean>;
  readonly clock?: DrillClock;
  readonly random?: () => number;
  readonly signal?: AbortSignal;
  readonly pollIntervalMs?: number;
}

/** Parsed command line. */
export interface CliArgs {
  readonly drill: string;
  readonly execute: boolean;
  /** Run through the drill's SSM Automation document (`<service>-drill-<drill>`) instead of SDK calls from here. */
  readonly viaAutomation: boolean;
  /** Overall timeout of the automation path, seconds (default: the sum of the step timeouts). */
  readonly automationTimeoutSeconds?: number;
  readonly stackOutputs?: string;
  readonly reportDir: string;
  readonly cdkOut: string;
  /** Names the stacks (`<service>-<role>`) and the automation documents when cdk.out does not (its `platform:service` tag). */
  readonly service?: string;
  readonly params: Record<string, string>;
  readonly tier?: string;
  readonly faultAt?: string;
  readonly rpoSeconds?: number;
  readonly yes: boolean;
}

const USAGE = 'usage: platform-stacks drill <drill> [--execute] [--via-automation] [--automation-timeout duration] [--stack-outputs file.json] '
  + '[--report-dir dir] [--param Name=value]... [--tier tier] [--fault-at ISO-time] [--rpo-seconds n] [--cdk-out dir] [--service name] [--yes]\n'
  + '  --execute               run the drill (without it: print the plan) and write the report (markdown and JSON)\n'
  + '  --via-automation        with --execute: start the SSM Automation document <service>-drill-<drill> in the drill\'s region and follow it\n'
  + '                          (automatic when a step\'s API is not in the CLI\'s SDK registry); needs --param Approvers=<IAM ARN>[,...] and\n'
  + `                          AutomationAssumeRole (the ${StackOutput.DRILL_AUTOMATION_ROLE_ARN} stack output, or --param AutomationAssumeRole=<ARN>)\n`
  + '  --automation-timeout d  cancel the automation after d (30m, 2h; default: the sum of the step timeouts)\n'
  + '  --cdk-out dir           the cloud assembly (default cdk.out): stack names, regions, the platform:service and platform:dr-tier tags\n'
  + '  --service name          the service (stacks <service>-<role>, documents <service>-drill-<drill>) when there is no cloud assembly';

/** Parses argv (after the script name); throws with the usage on bad input. */
export function parseArgs(argv: readonly string[]): CliArgs {
  let drill: string | undefined;
  const params: Record<string, string> = {};
  const opts: Record<string, string> = {};
  let execute = false;
  let viaAutomation = false;
  let yes = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--execute') execute = true;
    else if (a === '--via-automation') viaAutomation = true;
    else if (a === '--yes') yes = true;
    else if (['--stack-outputs', '--report-dir', '--tier', '--fault-at', '--rpo-seconds', '--cdk-out', '--service', '--param', '--automation-timeout'].includes(a)) {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      if (a === '--param') {
        const m = /^([A-Za-z0-9]+)=(.*)$/.exec(v);
        if (!m) throw new Error(`--param (${v}) is not Name=value\n${USAGE}`);
        params[m[1]] = m[2];
      } else opts[a.slice(2)] = v;
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else if (drill === undefined) drill = a;
    else throw new Error(`unexpected argument ${a}\n${USAGE}`);
  }
  if (drill === undefined) throw new Error(`name a drill: ${DRILLS.map((d) => d.id).join(', ')}\n${USAGE}`);
  const rpo = opts['rpo-seconds'];
  if (rpo !== undefined && !(Number(rpo) >= 0)) throw new Error(`--rpo-seconds (${rpo}) is not a number of seconds`);
  const timeout = opts['automation-timeout'];
  if (timeout !== undefined && !/^[1-9]\d*[smhd]$/.test(timeout)) throw new Error(`--automation-timeout (${timeout}) is not a duration: e.g. 90m or 2h`);
  return {
    drill, execute, viaAutomation, yes, params, reportDir: opts['report-dir'] ?? 'drill-reports', cdkOut: opts['cdk-out'] ?? 'cdk.out',
    ...(opts['stack-outputs'] ? { stackOutputs: opts['stack-outputs'] } : {}),
    ...(opts.service ? { service: opts.service } : {}),
    ...(opts.tier ? { tier: opts.tier } : {}),
    ...(opts['fault-at'] ? { faultAt: opts['fault-at'] } : {}),
    ...(rpo !== undefined ? { rpoSeconds: Number(rpo) } : {}),
    ...(timeout !== undefined ? { automationTimeoutSeconds: parseDuration('drill', '--automation-timeout', timeout) } : {}),
  };
}

function progress(out: (t: string) => void): (e: DrillEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'step-start': out(`[${e.index + 1}/${e.total}] ${e.step.name} (${e.step.kind}, timeout ${e.step.timeout}) ...\n`); break;
      case 'retry': out(`    throttled (${e.error}${e.api ? ` on ${e.api}` : ''}), attempt ${e.attempt} failed, retrying in ${e.delayMs} ms\n`); break;
      case 'poll': out(`    ${JSON.stringify(e.value)}\n`); break;
      case 'step-status': out(`    ${e.status}\n`); break;
      case 'note': out(`${e.message}\n`); break;
      case 'step-end': out(`    ${e.record.outcome} after ${(e.record.end - e.record.start) / 1000}s, ${e.record.attempts} attempt(s)${e.record.error ? `: ${e.record.error}` : ''}\n`); break;
    }
  };
}

/** Runs the CLI; returns the exit code (0 plan printed or drill passed, 1 drill failed or aborted, 2 bad input). */
export async function main(argv: readonly string[], io: CliIo): Promise<{ code: number; report?: DrillReport }> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${USAGE}\ndrills: ${DRILLS.map((d) => d.id).join(', ')}\n`);
    return { code: 0 };
  }
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.out(`${(e as Error).message}\n`);
    return { code: 2 };
  }
  const drill = findDrill(args.drill);
  if (!drill) {
    io.out(`unknown drill '${args.drill}': use one of ${DRILLS.map((d) => d.id).join(', ')}\n`);
    return { code: 2 };
  }
  const deployment = readCloudAssembly(args.cdkOut);
  let outputs: StackOutputs | undefined;
  if (args.stackOutputs) {
    if (!existsSync(args.stackOutputs)) {
      io.out(`--stack-outputs (${args.stackOutputs}) does not exist: write it with npx cdk deploy --all --outputs-file ${args.stackOutputs}\n`);
      return { code: 2 };
    }
    outputs = JSON.parse(readFileSync(args.stackOutputs, 'utf8')) as StackOutputs;
  }
  const tier = args.tier ? DrTier.fromId(args.tier, 'drill', '--tier') : deployment?.tier ?? (drill.tiers.length === 1 ? drill.tiers[0] : DrTier.PILOT_LIGHT);
  if (!drill.tiers.includes(tier)) {
    io.out(`drill ${drill.id} applies to ${drill.tiers.map((t) => t.id).join(', ')}, not to ${tier.id}: pick the drill of your tier or pass --tier\n`);
    return { code: 2 };
  }
  const resolved = resolveParameters(drill, { outputs, deployment, overrides: args.params, ...(args.service ? { service: args.service } : {}) });
  io.out(renderPlan(drill, tier, resolved));
  if (!args.execute) return { code: 0 };

  if (resolved.unresolved.length > 0) {
    io.out(`cannot execute: ${resolved.unresolved.join(', ')} unresolved: pass --stack-outputs <file> (npx cdk deploy --all --outputs-file <file>) or --param Name=value\n`);
    return { code: 2 };
  }
  const faultAt = args.faultAt !== undefined ? Date.parse(args.faultAt) : undefined;
  if (faultAt !== undefined && Number.isNaN(faultAt)) {
    io.out(`--fault-at (${args.faultAt}) is not an ISO 8601 time: e.g. 2026-01-01T12:00:00Z\n`);
    return { code: 2 };
  }
  const aws = io.aws();
  const common = {
    drill, tier, values: resolved.values, aws,
    confirm: args.yes ? async () => true : io.confirm,
    onEvent: progress(io.out),
    ...(io.clock ? { clock: io.clock } : {}),
    ...(io.random ? { random: io.random } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(io.pollIntervalMs !== undefined ? { pollIntervalMs: io.pollIntervalMs } : {}),
    ...(faultAt !== undefined ? { faultAt } : {}),
    ...(args.rpoSeconds !== undefined ? { rpoSeconds: args.rpoSeconds } : {}),
  };
  const unsupported = drill.steps.filter((s) => (s.kind === 'aws-api' || s.kind === 'wait-for') && !aws.supports(s.call.service, s.call.api));
  let report: DrillReport;
  if (args.viaAutomation || unsupported.length > 0) {
    const service = serviceName(deployment, args.service);
    if (service === undefined) {
      io.out(`cannot execute: the service is unknown (it names the SSM document <service>-drill-${drill.id}): pass --cdk-out <dir> or --service <name>\n`);
      return { code: 2 };
    }
    const regionStack = stackName(drill.region, deployment, service);
    const documentName = automationDocumentName(service, drill);
    if (!args.viaAutomation) {
      io.out(`${unsupported.map((s) => (s.kind === 'aws-api' || s.kind === 'wait-for' ? `${s.call.service}:${s.call.api}` : s.name)).filter((v, i, all) => all.indexOf(v) === i).join(', ')} `
        + `not in the CLI's SDK registry (cli/drill/aws.ts): running the SSM Automation document ${documentName} in the ${drill.region} region instead\n`);
    }
    const assumeRole = args.params.AutomationAssumeRole ?? outputs?.[regionStack]?.[StackOutput.DRILL_AUTOMATION_ROLE_ARN];
    if (assumeRole === undefined) {
      io.out(`cannot execute: AutomationAssumeRole unresolved: pass --stack-outputs <file> with the ${StackOutput.DRILL_AUTOMATION_ROLE_ARN} output of ${regionStack}, `
        + 'or --param AutomationAssumeRole=<role ARN> (empty: the automation runs with your own permissions)\n');
      return { code: 2 };
    }
    const approvers = (args.params.Approvers ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
    try {
      automationParameters(drill, resolved.values, assumeRole, approvers);
    } catch (e) {
      io.out(`cannot execute: ${(e as Error).message}\n`);
      return { code: 2 };
    }
    report = await runDrillAutomation({
      ...common, service, assumeRole, approvers,
      ...(args.automationTimeoutSeconds !== undefined ? { timeoutMs: args.automationTimeoutSeconds * 1000 } : {}),
    });
  } else {
    report = await runDrill(common);
  }
  const files = writeReport(args.reportDir, report);
  io.out(`\n${report.outcome.toUpperCase()}${report.reason ? `: ${report.reason}` : ''}\n`
    + `RTO ${report.rto.measuredSeconds ?? 'not measured'}s (objective ${report.rto.objective}), RPO ${report.rpo.measuredSeconds ?? 'not measured'}s (objective ${report.rpo.objective})\n`
    + `report: ${files.markdown}, ${files.html}, ${files.json}\n`);
  return { code: report.outcome === 'pass' ? 0 : 1, report };
}
