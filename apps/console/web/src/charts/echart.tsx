import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

type EChartsModule = typeof import('./echarts-setup');
let loading: Promise<EChartsModule> | null = null;
const loadEcharts = () => (loading ??= import('./echarts-setup'));

/** A chart: ECharts is loaded on first use, the instance follows the option and the container's size. */
export function EChart({ option, height = 280, label }: { option: EChartsCoreOption; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<EChartsModule['echarts']['init']> | null>(null);
  // the option as of now: ECharts may arrive after the data did
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void loadEcharts().then(({ echarts }) => {
      if (disposed || !ref.current) return;
      chart.current = echarts.init(ref.current);
      chart.current.setOption(latest.current);
      observer = new ResizeObserver(() => chart.current?.resize());
      observer.observe(ref.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
    // the instance lives as long as the component; option changes are applied below
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
