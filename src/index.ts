export { TracerShim, createTracerShim } from './tracer-shim';
export type { TracerShimOptions } from './tracer-shim';
export { SpanShim } from './span-shim';
export { SpanContextShim } from './span-context-shim';
export { LINK_REF_TYPE_ATTRIBUTE } from './constants';
export { BINARY_FORMAT_VERSION } from './binary-format';
export { VERSION } from './version';
export { activeSpan, contextWithSpan, withSpan } from './context-interop';
