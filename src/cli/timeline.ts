// How a replay reads on a terminal: one line per decision, its outputs beneath, then the picture.
import type { CoreOutput, Picture } from '../core/index.js';
import { printable } from './printable.js';

const WIDTH = { position: 6, decision: 17, input: 58 };

/**
 * One timeline line per decision; effects and domain events indented under the decision. What a
 * webhook carried (ids, reasons) is escaped: a terminal never receives its control characters.
 */
export function formatOutput(output: CoreOutput): string {
  return printable(formatLine(output));
}

function formatLine(output: CoreOutput): string {
  if (output.kind === 'decision') {
    // Inputs are checked on receipt; a time no Date can show is still printed, never a crash.
    const time = Number.isNaN(new Date(output.at).getTime())
      ? String(output.at).padStart(24)
      : new Date(output.at).toISOString();
    const where =
      output.recording === undefined ? '' : `${output.recording} ${output.state ?? ''}`.trim();
    const why = [
      output.reason,
      output.gap === undefined ? undefined : `gap ${output.gap.from}..${output.gap.to}`,
    ]
      .filter((part) => part !== undefined)
      .join('; ');
    return [
      time,
      String(output.position).padStart(WIDTH.position),
      output.decision.padEnd(WIDTH.decision),
      output.input.padEnd(WIDTH.input),
      where,
      why === '' ? '' : `(${why})`,
    ]
      .join('  ')
      .trimEnd();
  }
  if (output.kind === 'delivered') {
    const { event } = output;
    const late = event.type === 'notification' && event.notification.late === true;
    return `${' '.repeat(26 + WIDTH.position)}→ delivered ${event.type}${late ? ' (late)' : ''} ${output.recording}`;
  }
  const { kind, type, recording, ...fields } = output;
  const detail = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${' '.repeat(26 + WIDTH.position)}→ ${kind} ${type} ${recording} ${detail}`.trimEnd();
}

/** The final picture as a table a person can read. */
export function formatPicture(picture: Picture): string {
  const rows = Object.entries(picture.recordings).map(([id, r]) =>
    [
      id,
      r.state,
      `sid=${r.sid ?? '-'}`,
      `uid=${r.uid ?? '-'}`,
      `haAttempts=${r.haAttempts}`,
      `filePrefix=${r.filePrefix === '' ? "''" : r.filePrefix}`,
      `restarts=${r.restarts}`,
      `quitReason=${r.quitReason ?? '-'}`,
    ]
      .map(printable)
      .join('  '),
  );
  return [
    'Final picture:',
    ...(rows.length === 0 ? ['  (no recordings)'] : rows.map((row) => `  ${row}`)),
  ].join('\n');
}
