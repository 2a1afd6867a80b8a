import type { EChartsCoreOption } from 'echarts/core';
import { createEffect, getOwner, onCleanup, onMount, runWithOwner } from 'solid-js';

/**
 * An ECharts chart, loaded on first use: echarts is a large library, so its chunk is fetched
 * only by pages that draw a chart. `option` is ECharts' own option object; the chart follows
 * changes to it and to its width.
 */
export function Chart(props: { option: EChartsCoreOption; label: string; height?: number }) {
  let element!: HTMLDivElement;
  let disposed = false;
  const owner = getOwner();
  onMount(async () => {
    const { echarts } = await import('./echarts-setup.js');
    if (disposed) return;
    const chart = echarts.init(element);
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(element);
    runWithOwner(owner, () => {
      createEffect(() => chart.setOption(props.option, true));
      onCleanup(() => {
        resize.disconnect();
        chart.dispose();
      });
    });
  });
  onCleanup(() => {
    disposed = true;
  });
  return (
    <div
      ref={element}
      class="chart"
      role="img"
      aria-label={props.label}
      style={{ height: `${props.height ?? 220}px` }}
    />
  );
}
