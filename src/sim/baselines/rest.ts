// The few Agora REST calls a baseline makes, over fetch, with no retries or parsing beyond JSON:
// what a typical app's own thin client does.
import type { ObserverContext } from './observer.js';

/** Agora's answer to one call: the HTTP status (null: no response) and the parsed JSON body. */
export interface RestAnswer {
  readonly httpStatus: number | null;
  readonly body: Record<string, unknown> | null;
}

/** A session of cloud recording, as the calls after start name it. */
export interface RestSession {
  readonly resourceId: string;
  readonly sid: string;
  readonly mode: string;
  readonly cname: string;
  readonly uid: string;
}

/** One REST call; a transport error gives `httpStatus: null`, never a throw. */
export async function call(
  context: ObserverContext,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<RestAnswer> {
  const url = `${context.baseUrl}/v1/apps/${context.credentials.appId}/cloud_recording/${path}`;
  try {
    const response = await fetch(url, {
      method,
      headers: {
        authorization: context.credentials.authorization,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const json =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : null;
    return { httpStatus: response.status, body: json };
  } catch {
    return { httpStatus: null, body: null };
  }
}

/** The `clientRequest` of a start: a short maxIdleTime, as the simulator's examples use. */
export const START_REQUEST = {
  token: 'baseline-token',
  recordingConfig: { maxIdleTime: 30 },
  storageConfig: { vendor: 1, region: 0, bucket: 'b', accessKey: 'ak', secretKey: 'sk' },
} as const;

/** acquire then start; the session, or the failing answer. */
export async function acquireAndStart(
  context: ObserverContext,
  cname: string,
  uid: string,
  mode: string,
): Promise<RestSession | RestAnswer> {
  const acquired = await call(context, 'POST', 'acquire', {
    cname,
    uid,
    clientRequest: mode === 'web' ? { scene: 1 } : {},
  });
  const resourceId = acquired.body?.resourceId;
  if (acquired.httpStatus !== 200 || typeof resourceId !== 'string') return acquired;
  const started = await call(context, 'POST', `resourceid/${resourceId}/mode/${mode}/start`, {
    cname,
    uid,
    clientRequest: START_REQUEST,
  });
  const sid = started.body?.sid;
  if (started.httpStatus !== 200 || typeof sid !== 'string') return started;
  return { resourceId, sid, mode, cname, uid };
}

/** query of a session. */
export function query(context: ObserverContext, session: RestSession): Promise<RestAnswer> {
  return call(
    context,
    'GET',
    `resourceid/${session.resourceId}/sid/${session.sid}/mode/${session.mode}/query`,
  );
}

/** stop of a session. */
export function stop(context: ObserverContext, session: RestSession): Promise<RestAnswer> {
  return call(
    context,
    'POST',
    `resourceid/${session.resourceId}/sid/${session.sid}/mode/${session.mode}/stop`,
    { cname: session.cname, uid: session.uid, clientRequest: {} },
  );
}

/** The `serverResponse.status` of a query answer, or undefined. */
export function queryStatus(answer: RestAnswer): number | undefined {
  const server = answer.body?.serverResponse;
  if (typeof server !== 'object' || server === null) return undefined;
  const status = (server as Record<string, unknown>).status;
  return typeof status === 'number' ? status : undefined;
}
