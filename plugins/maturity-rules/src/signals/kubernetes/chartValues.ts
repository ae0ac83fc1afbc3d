import { FileLocation } from '../../model';
import { isRecord, YamlDoc } from '../yaml';
import { ChartValues } from './helmTemplate';

export const defaultValuesFile = (chartDir: string) =>
  chartDir ? `${chartDir}/values.yaml` : 'values.yaml';

function locateIn(
  file: string,
  doc: YamlDoc | undefined,
  path: string,
): FileLocation | undefined {
  const line = doc?.lineAt(path.split('.'));
  return line !== undefined ? { file, line } : undefined;
}

/**
 * A chart's values.yaml as templates see it, or undefined when the file is
 * missing or could not be read: then what the templates switch on stays
 * unknown instead of off.
 */
export function defaultChartValues(
  chartDir: string,
  yaml: ReadonlyMap<string, YamlDoc[]>,
  unreadable: (file: string) => boolean,
): ChartValues | undefined {
  const file = defaultValuesFile(chartDir);
  const docs = yaml.get(file);
  if (!docs || unreadable(file)) {
    return undefined;
  }
  const doc = docs[0];
  return {
    // An empty values.yaml is no values at all, as Helm reads it.
    value: doc?.value ?? {},
    locate: path => locateIn(file, doc, path) ?? { file },
  };
}

/** Helm's merge of a values file over the defaults: maps merge, anything else replaces. */
function mergeValues(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) {
    return over === undefined ? base : over;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = mergeValues(base[k], v);
  }
  return out;
}

/** The values an environment's values file gives, over the chart's defaults. */
export function environmentChartValues(
  defaults: ChartValues,
  file: string,
  doc: YamlDoc | undefined,
): ChartValues {
  return {
    value: mergeValues(defaults.value, doc?.value ?? {}),
    locate: path => locateIn(file, doc, path) ?? defaults.locate(path),
  };
}
