import { diag } from '@opentelemetry/api';
import { isSdkDisabled, listVariable } from '../src/env';
import { captureDiag } from './helpers/diag';

afterEach(() => diag.disable());

describe('listVariable', () => {
  it('should trim and lower-case each name, skipping blanks and repeats, in order', () => {
    expect(listVariable({ OTEL_PROPAGATORS: ' TraceContext, ,baggage,tracecontext , B3 ' }, 'OTEL_PROPAGATORS')).toEqual(['tracecontext', 'baggage', 'b3']);
  });

  it.each([undefined, '', ' , '])('should read %j as an empty list', (value) => {
    expect(listVariable({ OTEL_TRACES_EXPORTER: value }, 'OTEL_TRACES_EXPORTER')).toEqual([]);
  });
});

describe('isSdkDisabled', () => {
  it.each(['true', 'TRUE', ' True '])('should read %j as disabled', (value) => {
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: value })).toBe(true);
  });

  it.each([undefined, '', '  ', 'false', 'FALSE'])('should read %j as enabled, silently', (value) => {
    const logs = captureDiag();
    const disabled = isSdkDisabled({ OTEL_SDK_DISABLED: value });
    logs.stop();
    expect(disabled).toBe(false);
    expect(logs.matching('OTEL_SDK_DISABLED')).toEqual([]);
  });

  it.each(['1', 'yes', 'on'])('should read %j as enabled, with a diag warning (as @opentelemetry/core does)', (value) => {
    const logs = captureDiag();
    const disabled = isSdkDisabled({ OTEL_SDK_DISABLED: value });
    logs.stop();
    expect(disabled).toBe(false);
    expect(logs.matching(`OTEL_SDK_DISABLED: unknown value "${value}"`)).toHaveLength(1);
  });
});
