import { z } from 'zod';
import { fileList, type RecordedFile } from './files.js';
import { anyObject, booleanLike, lenient, pickDefined } from './liberal.js';

/**
 * The web recorder's own view of itself (web mode): the better witness of a page recording's
 * life than `status`. `inProgress` records, whether the host paused it (`onhold: true`) or not.
 */
export interface WebRecorderState {
  readonly state?: 'init' | 'inProgress' | 'exit' | (string & {});
  /** Paused by the host: still running (alive), not "not started". */
  readonly onhold?: boolean;
  readonly files: readonly RecordedFile[];
}

/** One CDN push target (web mode with RTMP publishing). */
export interface RtmpOutput {
  readonly rtmpUrl?: string;
  readonly status?: 'connecting' | 'publishing' | 'onhold' | 'disconnected' | (string & {});
}

/** What `extensionServiceState` says, by service; unknown services are kept raw. */
export interface ExtensionServices {
  readonly webRecorder?: WebRecorderState;
  readonly rtmpOutputs?: readonly RtmpOutput[];
  readonly others: readonly { readonly serviceName: string; readonly payload: unknown }[];
}

const webRecorderPayload = z.looseObject({
  state: lenient(z.string()),
  onhold: lenient(booleanLike),
  fileList: fileList.optional(),
});

const rtmpPayload = z.looseObject({
  outputs: lenient(
    z.array(z.looseObject({ rtmpUrl: lenient(z.string()), status: lenient(z.string()) })),
  ),
});

// Agora's stop response spells the field `playload`; both spellings are read.
const serviceEntry = z.looseObject({
  serviceName: z.string(),
  payload: lenient(anyObject),
  playload: lenient(anyObject),
});

/**
 * `extensionServiceState`, typed per service name. An entry without a service name is skipped;
 * fields of a service's payload that do not read are left out.
 */
export const extensionServiceState = z
  .array(z.unknown())
  .transform((raw, ctx): ExtensionServices => {
    const entries = raw.flatMap((entry) => {
      const parsed = serviceEntry.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
    let webRecorder: WebRecorderState | undefined;
    let rtmpOutputs: RtmpOutput[] | undefined;
    const others: { serviceName: string; payload: unknown }[] = [];
    for (const [index, entry] of entries.entries()) {
      const payload = entry.payload ?? entry.playload ?? {};
      if (entry.serviceName === 'web_recorder_service') {
        const parsed = webRecorderPayload.safeParse(payload);
        if (!parsed.success) {
          addIssues(ctx, parsed.error, index);
          continue;
        }
        webRecorder = {
          ...(parsed.data.state !== undefined && { state: parsed.data.state }),
          ...(parsed.data.onhold !== undefined && { onhold: parsed.data.onhold }),
          files: parsed.data.fileList ?? [],
        };
      } else if (entry.serviceName === 'rtmp_publish_service') {
        const parsed = rtmpPayload.safeParse(payload);
        if (!parsed.success) {
          addIssues(ctx, parsed.error, index);
          continue;
        }
        rtmpOutputs = (parsed.data.outputs ?? []).map((output) =>
          pickDefined(output, ['rtmpUrl', 'status']),
        );
      } else {
        others.push({ serviceName: entry.serviceName, payload });
      }
    }
    return {
      ...(webRecorder !== undefined && { webRecorder }),
      ...(rtmpOutputs !== undefined && { rtmpOutputs }),
      others,
    };
  });

function addIssues(ctx: z.RefinementCtx, error: z.ZodError, index: number): void {
  for (const issue of error.issues) {
    ctx.addIssue({
      code: 'custom',
      path: [
        index,
        'payload',
        ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
      ],
      message: issue.message,
    });
  }
}
