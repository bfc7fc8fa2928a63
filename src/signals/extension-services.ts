import { z } from 'zod';
import { fileList, type RecordedFile } from './files.js';
import { anyObject } from './liberal.js';

/** The web recorder's own view of itself (web mode). */
export interface WebRecorderState {
  readonly state?: 'init' | 'inProgress' | 'exit' | (string & {});
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
  state: z.string().optional(),
  onhold: z.boolean().optional(),
  fileList: fileList.optional(),
});

const rtmpPayload = z.looseObject({
  outputs: z
    .array(z.looseObject({ rtmpUrl: z.string().optional(), status: z.string().optional() }))
    .optional(),
});

// Agora's stop response spells the field `playload`; both spellings are read.
const serviceEntry = z.looseObject({
  serviceName: z.string(),
  payload: anyObject.optional(),
  playload: anyObject.optional(),
});

/** `extensionServiceState`, typed per service name. */
export const extensionServiceState = z
  .array(serviceEntry)
  .transform((entries, ctx): ExtensionServices => {
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
        rtmpOutputs = parsed.data.outputs ?? [];
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
