import { parseYaml } from '../yaml';
import {
  applyChartValues,
  ChartValues,
  sanitizeHelmTemplate,
} from './helmTemplate';

const chartValues = (value: unknown): ChartValues => ({
  value,
  locate: () => ({ file: 'chart/values.yaml' }),
});

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  template:
    spec:
      {{- with .Values.podSecurityContext }}
      securityContext:
        runAsNonRoot: true
      {{- end }}
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          {{- if .Values.resources }}
          resources:
            requests:
              cpu: {{ .Values.resources.cpu }}
          {{- end }}
`;

describe('sanitizeHelmTemplate', () => {
  it('turns a typical template into parseable YAML with the same line numbers', () => {
    const text = sanitizeHelmTemplate(TEMPLATE);
    expect(text.split('\n')).toHaveLength(TEMPLATE.split('\n').length);
    const parsed = parseYaml(text);
    expect(parsed.errors).toEqual([]);
    const value = applyChartValues(
      parsed.docs[0].value,
      chartValues({
        replicas: 3,
        image: { repository: 'ghcr.io/acme/app', tag: '1.2.3' },
        resources: { cpu: '100m' },
      }),
    ) as any;
    expect(value.metadata.name).toBe('HELM_TEMPLATE');
    expect(value.spec.replicas).toBe(3);
    const container = value.spec.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/acme/app:1.2.3');
    expect(container.resources.requests.cpu).toBe('100m');
  });

  it('keeps `.Values` references that the chart does not define', () => {
    expect(
      applyChartValues(
        { a: '.Values.missing', b: 'x-.Values.also.missing' },
        chartValues({}),
      ),
    ).toEqual({
      a: '.Values.missing',
      b: 'x-.Values.also.missing',
    });
  });
});
