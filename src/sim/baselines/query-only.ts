// Baseline 2, query-only and strict: polls every 60 s and treats any answer but a 200 showing a
// running recorder (status 0..5) as the recording stopped, then starts it again at once. What the
// production app we studied does.
import { Baseline, type Tracked } from './baseline.js';
import { query, queryStatus } from './rest.js';

const POLL_MS = 60_000;

/** Baseline 2 (docs/truth-under-faults.md): 60 s polls, any non-200 = stopped. */
export class QueryOnlyBaseline extends Baseline {
  readonly name = 'queryOnly';

  protected started(row: Tracked): void {
    this.after(row, POLL_MS, () => this.poll(row));
  }

  private async poll(row: Tracked): Promise<void> {
    const session = row.session;
    if (session === null) return;
    const answer = await query(this.context, session);
    if (row.session !== session || !row.wanted) return;
    const status = queryStatus(answer);
    if (answer.httpStatus === 200 && status !== undefined && status <= 5) this.started(row);
    else this.ended(row);
  }
}
