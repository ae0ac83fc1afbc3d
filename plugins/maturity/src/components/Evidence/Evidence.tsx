import { Entity } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { repositoryFileUrl, safeHttpUrl } from './urls';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}/;

/** `YYYY-MM-DD` of an ISO timestamp or date, else undefined. */
function dayOf(value?: string): string | undefined {
  return value && ISO_DAY.test(value) ? value.slice(0, 10) : undefined;
}

/** A ref that is not a link: shown as text unless it repeats what is shown. */
function RefText(props: { evidence: CheckEvidence; shown: string[] }) {
  const { ref } = props.evidence;
  if (!ref || safeHttpUrl(ref) || props.shown.includes(ref)) return null;
  return (
    <Typography variant="caption" color="textSecondary" component="span">
      {' '}
      ({ref})
    </Typography>
  );
}

/** A file name with its line, linked when there is an http(s) URL. */
function FileName(props: { label: string; line?: number; href?: string }) {
  const name = `${props.label}${props.line ? `:${props.line}` : ''}`;
  return props.href ? (
    <Link to={props.href}>
      <code>{name}</code>
    </Link>
  ) : (
    <code>{name}</code>
  );
}

/**
 * A repository file, or a shared CI file (a reusable workflow, an action,
 * an included template) with the repository file that calls it.
 */
function FileEvidence(props: { evidence: CheckEvidence; entity: Entity }) {
  const { evidence: e, entity } = props;
  const { via } = e;
  const href = safeHttpUrl(e.ref) ?? repositoryFileUrl(entity, e.label, e.line);
  return (
    <>
      {via ? 'Shared file ' : 'File '}
      <FileName label={e.label} line={e.line} href={href} />
      {e.value ? `: ${e.value}` : ''}
      {via && (
        <>
          , called from{' '}
          <FileName
            label={via.label}
            line={via.line}
            href={repositoryFileUrl(entity, via.label, via.line)}
          />
        </>
      )}
      <RefText evidence={e} shown={[e.label]} />
    </>
  );
}

/** A catalog field or an annotation: its key, its value, and its link. */
function KeyValueEvidence(props: { evidence: CheckEvidence; prefix?: string }) {
  const e = props.evidence;
  const href = safeHttpUrl(e.ref);
  return (
    <>
      {props.prefix}
      <code>{e.label}</code>
      {e.value ? `: ${e.value}` : ''}
      {href && (
        <>
          {' '}
          (<Link to={href}>link</Link>)
        </>
      )}
      <RefText evidence={e} shown={[e.label, e.value ?? '']} />
    </>
  );
}

function FactEvidence(props: { evidence: CheckEvidence }) {
  const e = props.evidence;
  const dot = e.label.indexOf('.');
  const source = dot > 0 ? e.label.slice(0, dot) : e.label;
  const field = dot > 0 ? e.label.slice(dot + 1) : undefined;
  const date = dayOf(e.ref) ?? dayOf(e.value);
  // `value` is the measured value, unless it only repeats the timestamp.
  const value = e.value && e.value !== e.ref && !dayOf(e.value) ? e.value : '';
  const href = safeHttpUrl(e.ref);
  return (
    <>
      Pushed fact from <strong>{source}</strong>
      {field ? (
        <>
          : <code>{field}</code>
          {value ? ` = ${value}` : ''}
        </>
      ) : (
        <>{value ? `: ${value}` : ''}</>
      )}
      {date ? `, measured ${date}` : ''}
      {href && (
        <>
          {' '}
          (<Link to={href}>source</Link>)
        </>
      )}
    </>
  );
}

/** " · evidence" linked when the ref is http(s), else the ref as text. */
function EvidenceLink(props: { evidence: CheckEvidence }) {
  const { ref } = props.evidence;
  const href = safeHttpUrl(ref);
  if (href) {
    return (
      <>
        {' '}
        · <Link to={href}>evidence</Link>
      </>
    );
  }
  return <>{ref && ` · evidence: ${ref}`}</>;
}

function AttestationEvidence(props: { evidence: CheckEvidence }) {
  const e = props.evidence;
  const by = /^attested by (.+)$/i.exec(e.label)?.[1];
  return (
    <>
      {by ? (
        <>
          Attested by <strong>{by}</strong>
        </>
      ) : (
        <>
          Attested in <code>{e.label}</code>
        </>
      )}
      {e.value ? ` on ${dayOf(e.value) ?? e.value}` : ''}
      <EvidenceLink evidence={e} />
    </>
  );
}

/** A control the platform team declared in config, with its last review. */
function OrgControlEvidence(props: { evidence: CheckEvidence }) {
  const e = props.evidence;
  return (
    <>
      Org-wide control <strong>{e.label}</strong>
      {e.value ? `, reviewed ${dayOf(e.value) ?? e.value}` : ''}
      <EvidenceLink evidence={e} />
    </>
  );
}

function EvidenceItem(props: { evidence: CheckEvidence; entity: Entity }) {
  const { evidence, entity } = props;
  let content: ReactNode;
  switch (evidence.type) {
    case 'file':
      content = <FileEvidence evidence={evidence} entity={entity} />;
      break;
    case 'annotation':
      content = <KeyValueEvidence evidence={evidence} prefix="Annotation " />;
      break;
    case 'fact':
      content = <FactEvidence evidence={evidence} />;
      break;
    case 'attestation':
      content = <AttestationEvidence evidence={evidence} />;
      break;
    case 'org-control':
      content = <OrgControlEvidence evidence={evidence} />;
      break;
    default:
      content = <KeyValueEvidence evidence={evidence} />;
  }
  return (
    <Typography
      variant="body2"
      component="li"
      style={{ overflowWrap: 'anywhere' }}
    >
      {content}
    </Typography>
  );
}

/**
 * What decided a check: a catalog field, an annotation, a repository file
 * (linked into the repository when the source location is an http(s) URL),
 * a pushed fact, an attestation or an org-wide control. Only http(s) values
 * become links.
 */
export function Evidence(props: { evidence: CheckEvidence[]; entity: Entity }) {
  const { evidence, entity } = props;
  if (evidence.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  return (
    <ul style={{ margin: 0, paddingLeft: 16 }}>
      {evidence.map((e, i) => (
        <EvidenceItem key={i} evidence={e} entity={entity} />
      ))}
    </ul>
  );
}
