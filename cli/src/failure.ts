import { WgfleetApiError, WgfleetUnreachableError } from '@wgfleet/client';
import { CliError, EXIT } from './exit-codes';

export interface Failure {
  message: string;
  exitCode: number;
}

/**
 * Any error a command ends with → a message that says what happened and what to do next. `where` names how
 * the connection was chosen (environment or context), so the advice points at the right place to fix.
 */
export function describeFailure(error: unknown, where = 'WGFLEET_URL / WGFLEET_TOKEN'): Failure {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof WgfleetUnreachableError) {
    const reason = (error.cause as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    return {
      message:
        `${error.message}${reason?.code ? ` (${reason.code})` : reason?.message ? ` (${reason.message})` : ''}\n` +
        `Check the panel URL (${where}) and that the panel is running and reachable from here.`,
      exitCode: EXIT.error,
    };
  }
  if (error instanceof WgfleetApiError)
    return { message: describeApiError(error, where), exitCode: EXIT.error };
  return { message: error instanceof Error ? error.message : String(error), exitCode: EXIT.error };
}

export function describeApiError(error: WgfleetApiError, where: string): string {
  const head = `${error.message} (HTTP ${error.status} ${error.code})`;
  switch (error.status) {
    case 400:
    case 422: {
      const fields = error.fieldProblems.map((problem) => `  ${problem.field}: ${problem.message}`);
      return fields.length > 0 ? `${head}\n${fields.join('\n')}` : head;
    }
    case 401:
      return (
        `${head}\nThe panel did not accept the token (${where}). ` +
        'Set WGFLEET_TOKEN to a valid API token, or run: wgfleet login <panel URL>'
      );
    case 403:
      return `${head}\nUse a token with the role named above; an admin creates one with: wgfleet tokens create <name> --role <role>`;
    case 409:
      return `${head}\nIt changed since it was read; read it again (the version moved) and retry.`;
    case 429:
      return `${head}\nThe panel is limiting requests; wait a little and retry.`;
    default:
      return head;
  }
}
