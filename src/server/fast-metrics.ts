import type { Registry } from 'prom-client';

/**
 * Counters and histograms for what happens on every request: an observation is a few additions
 * on a series made once per label values. prom-client's own metrics build, check and hash a label
 * object on every observation, even through a child from labels(). These are registered in a
 * prom-client Registry, which reads them (get()) and formats them only when /metrics is scraped.
 */
interface Series {
  labels: Record<string, string>;
}

abstract class FastMetric<S extends Series> {
  protected readonly series = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of these label values, in labelNames order; keep it: looking it up costs a join. */
  child(...values: string[]): S {
    const key = values.join('\0');
    let series = this.series.get(key);
    if (!series) {
      const labels = Object.fromEntries(this.labelNames.map((name, i) => [name, values[i] ?? '']));
      this.series.set(key, (series = this.create(labels)));
    }
    return series;
  }

  protected abstract create(labels: Record<string, string>): S;
}

export interface CounterSeries extends Series {
  value: number;
  inc(by?: number): void;
}

export class FastCounter extends FastMetric<CounterSeries> {
  readonly type = 'counter';

  protected create(labels: Record<string, string>): CounterSeries {
    return {
      labels,
      value: 0,
      inc(by = 1) {
        this.value += by;
      },
    };
  }

  get() {
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values: [...this.series.values()].map(({ labels, value }) => ({ labels, value })) };
  }
}

export interface HistogramSeries extends Series {
  observe(value: number): void;
}

interface Buckets extends HistogramSeries {
  counts: Float64Array;
  sum: number;
  count: number;
}

export class FastHistogram extends FastMetric<Buckets> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, labelNames, registry);
  }

  protected create(labels: Record<string, string>): Buckets {
    const bounds = this.bounds;
    return {
      labels,
      counts: new Float64Array(bounds.length),
      sum: 0,
      count: 0,
      observe(value) {
        let i = 0;
        while (i < bounds.length && value > bounds[i]!) i++;
        if (i < bounds.length) this.counts[i]! += 1;
        this.sum += value;
        this.count += 1;
      },
    };
  }

  get() {
    const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.name}_count`, labels, value: count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: 'sum', values };
  }
}
