import { internalsIn } from './declarations';

describe('internalsIn', () => {
  it('should report non-private underscore members of classes, interfaces and object types', () => {
    const text = `
export declare class Tracer {
    private readonly _kept;
    private _method;
    protected _startSpan(name: string): void;
    _cache: { _inner: number } | undefined;
    static _make(): Tracer;
    get _view(): number;
    name: string;
}
export interface Options {
    _hook?(): void;
    plain: number;
}
export type Shape = { _field: string; other: string };
`;
    expect(internalsIn('x.d.ts', text)).toEqual([
      'x.d.ts: Tracer._startSpan (protected)',
      'x.d.ts: Tracer._cache (public)',
      'x.d.ts: Tracer._cache._inner (public)',
      'x.d.ts: Tracer._make (public)',
      'x.d.ts: Tracer._view (public)',
      'x.d.ts: Options._hook (public)',
      'x.d.ts: Shape._field (public)',
    ]);
  });

  it('should report declarations tagged @internal and exported underscore names', () => {
    const text = `
/** Parsed. @internal */
export interface Parsed { id: string }
export declare class Span {
    /** @internal used by the tracer */
    protected start(): void;
    finish(): void;
}
export declare function _helper(): void;
export declare const _TABLE: number[];
declare function _local(): void;
export { _local };
/** Not internal: the word internal alone is not a tag. */
export declare function visible(): void;
`;
    expect(internalsIn('y.d.mts', text)).toEqual([
      'y.d.mts: Parsed (@internal)',
      'y.d.mts: Span.start (@internal)',
      'y.d.mts: _helper (exported)',
      'y.d.mts: _TABLE (exported)',
      'y.d.mts: _local (exported)',
    ]);
  });

  it('should accept the public jaeger-client fields of ReportedSpan', () => {
    const text =
      'export declare class ReportedSpan {\n    readonly _tags: unknown[];\n    readonly _logs: unknown[];\n    readonly _startTime: number;\n    readonly _duration: number;\n}\n';
    expect(internalsIn('r.d.ts', text)).toEqual([]);
  });
});
