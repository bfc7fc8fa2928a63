// Baseline 3, Agora's advice as written: poll every 60 s; a 404 is queried again after 5, 10 and
// 15 s and then taken as the end; a 50x (or 206, 429, no response) is queried again after growing
// waits and changes nothing; a 200 with status 6 or more is the end. Notifications are not used.
import { Baseline, type Tracked } from './baseline.js';
import { query, queryStatus } from './rest.js';

const POLL_MS = 60_000;
const NOT_FOUND_BACKOFF_MS = [5_000, 10_000, 15_000];
const SERVER_ERROR_BACKOFF_MS = [5_000, 10_000, 15_000, 30_000];

/** Baseline 3 (docs/truth-under-faults.md): Agora's polling advice, notifications unused. */
export class AgoraAdviceBaseline extends Baseline {
  readonly name = 'agoraAdvice';

  protected started(row: Tracked): void {
    this.after(row, POLL_MS, () => this.poll(row, 0, 0));
  }

  private async poll(row: Tracked, notFound: number, serverErrors: number): Promise<void> {
    const session = row.session;
    if (session === null) return;
    const answer = await query(this.context, session);
    if (row.session !== session || !row.wanted) return;
    const status = queryStatus(answer);
    if (answer.httpStatus === 200 && status !== undefined) {
      if (status >= 6) this.ended(row);
      else this.started(row);
      return;
    }
    if (answer.httpStatus === 404) {
      const wait = NOT_FOUND_BACKOFF_MS[notFound];
      if (wait === undefined) this.ended(row);
      else this.after(row, wait, () => this.poll(row, notFound + 1, 0));
      return;
    }
    // 50x, 206, 429, no response: wait longer and ask again; the belief does not change.
    const wait = SERVER_ERROR_BACKOFF_MS[serverErrors];
    if (wait === undefined) this.started(row);
    else this.after(row, wait, () => this.poll(row, 0, serverErrors + 1));
  }
}
