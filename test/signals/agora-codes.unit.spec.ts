// Agora's codes are owned by signals (EVENT_NAMES, RECORDING_STATUS, the product id). The machine
// and the simulator may not import signals (architecture.md's dependency order), so they restate
// the few they need; this ties every restatement to the owner, and the machine's vocabulary
// (Mode, CallResult, QueryResult) to the signal types the core maps onto it.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CallResult, Mode, QueryResult } from '../../machines/index.js';
import { EVENT } from '../../machines/recording/evidence.js';
import { CODE_VENDOR_OVER_LOAD as MACHINE_VENDOR_OVER_LOAD } from '../../machines/recording/schedule.js';
import {
  type CallOutcome,
  CLOUD_RECORDING_PRODUCT_ID,
  EVENT_NAMES,
  type QueryOutcome,
  type RecordingMode,
} from '../../src/index.js';
import { CODE_VENDOR_OVER_LOAD } from '../../src/signals/index.js';
import {
  MSG_NAMES,
  CLOUD_RECORDING_PRODUCT_ID as SIM_PRODUCT_ID,
} from '../../src/sim/notifications.js';

describe("Agora's codes have one owner", () => {
  it("gives the machine's event numbers the events signals names", () => {
    // The machine's short names, and the event each stands for in Agora's table.
    const meant: Readonly<Record<keyof typeof EVENT, string>> = {
      error: 'cloud_recording_error',
      statusUpdate: 'cloud_recording_status_update',
      fileInfos: 'cloud_recording_file_infos',
      sessionExit: 'session_exit',
      failover: 'session_failover',
      uploaded: 'uploaded',
      backuped: 'backuped',
      recorderLeave: 'recorder_leave',
      webRecorderStopped: 'web_recorder_stopped',
      webCapabilityLimit: 'web_recorder_capability_limit',
    };
    const named = EVENT_NAMES as Readonly<Record<number, string>>;
    for (const [name, eventType] of Object.entries(EVENT)) {
      expect(named[eventType], `${name} = ${eventType}`).toBe(meant[name as keyof typeof EVENT]);
    }
  });

  it("gives the simulator's event names exactly as signals has them", () => {
    const named = EVENT_NAMES as Readonly<Record<number, string>>;
    for (const [eventType, name] of Object.entries(MSG_NAMES)) {
      expect(named[Number(eventType)], `event ${eventType}`).toBe(name);
    }
    expect(SIM_PRODUCT_ID).toBe(CLOUD_RECORDING_PRODUCT_ID);
  });

  it("gives the machine's quota code (400 code 406, vendor_over_load) the one signals reads", () => {
    expect(MACHINE_VENDOR_OVER_LOAD).toBe(CODE_VENDOR_OVER_LOAD);
  });

  it("keeps the machine's vocabulary the signals' types, narrowed to what it reads", () => {
    expectTypeOf<Mode>().toEqualTypeOf<RecordingMode>();
    // The core hands these outcomes to the machine as they are: they must fit its reading.
    expectTypeOf<CallOutcome>().toExtend<CallResult>();
    expectTypeOf<QueryOutcome>().toExtend<QueryResult>();
    expectTypeOf<CallResult['kind']>().toEqualTypeOf<CallOutcome['kind']>();
    expectTypeOf<QueryResult['kind']>().toEqualTypeOf<QueryOutcome['kind']>();
  });
});
