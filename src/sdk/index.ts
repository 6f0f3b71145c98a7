export { TraceTreeExporter } from './trace-tree-exporter';
export type { TraceTreeEvent, TraceTreeExporterOptions, TraceTreeSpan } from './trace-tree-exporter';
export { BaggageSpanProcessor } from './baggage-span-processor';
export { createTracerConfig, createTracerProvider } from './create-tracer-provider';
export type { CreateTracerProviderOptions } from './create-tracer-provider';
export { DisabledTracerProvider } from './sdk-disabled';
