import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { CheckStatus } from '@cnmaturity/plugin-maturity-common';

const LABELS: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  unknown: 'Unknown',
  exempt: 'Exempt',
  'not-applicable': 'Not applicable',
};

/** A check's status in words and colour; "unknown" is never shown as a failure. */
export function CheckStatusChip(props: { status: CheckStatus }) {
  const label = LABELS[props.status] ?? props.status;
  switch (props.status) {
    case 'pass':
      return <StatusOK>{label}</StatusOK>;
    case 'fail':
      return <StatusError>{label}</StatusError>;
    case 'exempt':
      return <StatusWarning>{label}</StatusWarning>;
    case 'unknown':
      return <StatusPending>{label}</StatusPending>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
}
