// The REST paths of cloud recording (agora-cloud-recording.md §1), matched without a framework.
import type { Mode } from './recording-life.js';

/** A matched REST call. */
export type Route =
  | { readonly call: 'acquire'; readonly appId: string }
  | {
      readonly call: 'start';
      readonly appId: string;
      readonly resourceId: string;
      readonly mode: Mode;
    }
  | {
      readonly call: 'query' | 'update' | 'updateLayout' | 'stop';
      readonly appId: string;
      readonly resourceId: string;
      readonly sid: string;
      readonly mode: Mode;
    };

const PREFIX = /^\/v1\/apps\/([^/]+)\/cloud_recording\/(.*)$/;
const START = /^resourceid\/([^/]+)\/mode\/(individual|mix|web|raw)\/start$/;
const SESSION =
  /^resourceid\/([^/]+)\/sid\/([^/]+)\/mode\/(individual|mix|web|raw)\/(query|update|updateLayout|stop)$/;

/**
 * The call a method and path name, or undefined when no route matches (Agora's gateway then
 * answers 404 `{message: "no Route matched with those values"}`).
 * @example matchRoute('GET', '/v1/apps/A/cloud_recording/resourceid/R/sid/S/mode/mix/query')
 */
export function matchRoute(method: string, path: string): Route | undefined {
  const pathname = path.split('?')[0] ?? '';
  const outer = PREFIX.exec(pathname);
  if (outer === null) return undefined;
  const appId = decodeURIComponent(outer[1]!);
  const rest = outer[2]!;
  if (rest === 'acquire') return method === 'POST' ? { call: 'acquire', appId } : undefined;
  const start = START.exec(rest);
  if (start !== null) {
    if (method !== 'POST') return undefined;
    return { call: 'start', appId, resourceId: start[1]!, mode: start[2] as Mode };
  }
  const session = SESSION.exec(rest);
  if (session === null) return undefined;
  const call = session[4] as 'query' | 'update' | 'updateLayout' | 'stop';
  if (method !== (call === 'query' ? 'GET' : 'POST')) return undefined;
  return { call, appId, resourceId: session[1]!, sid: session[2]!, mode: session[3] as Mode };
}
