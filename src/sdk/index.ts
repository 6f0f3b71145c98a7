export { TraceTreeExporter } from './trace-tree-exporter';
export type { TraceTreeEvent, TraceTreeExporterOptions, TraceTreeSpan } from './trace-tree-exporter';
export { BaggageSpanProcessor } from './baggage-span-processor';
