import { getCompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  levelName,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { maturityApiRef } from '../../api';
import { CheckStatusChip } from '../CheckStatusChip';
import { CodeText } from '../Evidence';
import { TargetLine } from '../MaturitySummary';

const TITLE = 'Cloud Native Maturity';
const MAX_STEPS = 3;
const MAX_REMEDIATION = 160;

/** Cuts long text at a word boundary with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Props of {@link EntityMaturityCard}. @public */
export interface EntityMaturityCardProps {
  /**
   * Where "View maturity" leads; default `./maturity`, the Maturity tab of
   * the entity page the card sits on.
   */
  maturityLink?: string;
}

/**
 * The entity overview card: level with its CNCF stage, the target with gap
 * and overdue state, the first next steps, and a link to the Maturity tab.
 * @public
 */
export function EntityMaturityCard(props: EntityMaturityCardProps = {}) {
  const { entity } = useEntity();
  const maturityApi = useApi(maturityApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const ref = useMemo(
    () => ({ kind, namespace, name }),
    [kind, namespace, name],
  );
  const deepLink = {
    title: 'View maturity',
    link: props.maturityLink ?? './maturity',
  };

  const { value, loading, error } = useAsync(async () => {
    const [result, rubric] = await Promise.all([
      maturityApi.getEntityResult(ref),
      maturityApi.getRubric().catch(() => undefined),
    ]);
    return {
      result,
      rubric: new Map<string, MaturityCheckDefinition>(
        (rubric?.checks ?? []).map(c => [c.id, c]),
      ),
    };
  }, [maturityApi, ref]);

  if (loading) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard title={TITLE}>
        <Alert severity="error">
          Could not load the maturity result: {error.message}
        </Alert>
      </InfoCard>
    );
  }
  if (!value?.result) {
    return (
      <InfoCard title={TITLE} deepLink={deepLink}>
        <Typography variant="body2">Not evaluated yet.</Typography>
        <Typography variant="body2" color="textSecondary">
          The maturity backend evaluates catalog entities on a schedule; this
          one has no result yet.
        </Typography>
      </InfoCard>
    );
  }

  const { result, rubric } = value;
  const steps = result.next?.steps ?? [];
  return (
    <InfoCard title={TITLE} deepLink={deepLink}>
      <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
        <Typography variant="h4" component="p">
          Level {result.level}
        </Typography>
        <Typography variant="h6" component="p" color="textSecondary">
          {levelName(result.level)}
        </Typography>
        {result.scorePercent !== undefined && (
          <Typography variant="body2" color="textSecondary">
            · score {result.scorePercent}%
          </Typography>
        )}
      </Box>
      {result.stale && (
        <Typography variant="caption" color="textSecondary" component="p">
          Last good result; the latest evaluation failed.
        </Typography>
      )}
      <Box mt={1}>
        <TargetLine result={result} hideSource />
      </Box>
      {result.next && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h3">
            Next steps to Level {result.next.level}{' '}
            {levelName(result.next.level)}
          </Typography>
          {steps.length === 0 && (
            <Typography variant="body2">
              Nothing left: every required check passes.
            </Typography>
          )}
          {steps.slice(0, MAX_STEPS).map(step => {
            const definition = rubric.get(step.checkId);
            return (
              <Box key={step.checkId} mt={1}>
                <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                  <CheckStatusChip status={step.status} />
                  <Typography variant="body2">
                    <strong>{definition?.title ?? step.checkId}</strong>
                  </Typography>
                </Box>
                {definition?.remediation && (
                  <Typography variant="caption" color="textSecondary">
                    <CodeText
                      text={shorten(definition.remediation, MAX_REMEDIATION)}
                    />
                  </Typography>
                )}
              </Box>
            );
          })}
          {steps.length > MAX_STEPS && (
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                and {steps.length - MAX_STEPS} more on the Maturity tab
              </Typography>
            </Box>
          )}
        </Box>
      )}
    </InfoCard>
  );
}
