import { CodeSnippet, EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/** What an owner adds to catalog-info.yaml so the repository checks can run. */
export const CATALOG_INFO_HINT = `metadata:
  annotations:
    backstage.io/source-location: url:https://github.com/<org>/<repo>/tree/main/
    cloud-native-maturity/target-level: "2"
`;

/**
 * An entity the backend has not evaluated yet: when it will be, and, without
 * a source location, what to add to catalog-info.yaml.
 */
export function NotEvaluated(props: {
  hasSourceLocation: boolean;
  action?: ReactNode;
}) {
  return (
    <EmptyState
      missing="info"
      title="Not evaluated yet"
      description="The maturity backend evaluates catalog entities on a schedule (every 30 minutes by default). This entity has no result yet; check back after the next evaluation cycle."
      action={
        <Box maxWidth={720}>
          {!props.hasSourceLocation && (
            <Box mb={2}>
              <Typography variant="body1" gutterBottom>
                This entity has no <code>backstage.io/source-location</code>, so
                the checks that read its repository cannot run. Add it, and a
                target level, to the entity's catalog-info.yaml:
              </Typography>
              <CodeSnippet
                language="yaml"
                text={CATALOG_INFO_HINT}
                showCopyCodeButton
              />
            </Box>
          )}
          {props.action}
        </Box>
      }
    />
  );
}
