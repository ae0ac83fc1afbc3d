import { useApi } from '@backstage/core-plugin-api';
import { MaturitySummaryQuery } from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import SaveAlt from '@material-ui/icons/SaveAlt';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { maturityApiRef } from '../../api';

/** `maturity-YYYY-MM-DD.csv`, today in the user's time zone. */
export function csvFileName(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `maturity-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(
    now.getDate(),
  )}.csv`;
}

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // Give the browser a moment to start the download before letting go.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/**
 * Downloads every service of the current filter and order as CSV. The file
 * is fetched with the user's token, then handed to the browser.
 */
export function CsvExportButton(props: { query: MaturitySummaryQuery }) {
  const maturityApi = useApi(maturityApiRef);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();

  const exportCsv = async () => {
    setRunning(true);
    setError(undefined);
    try {
      // Every row, not one page.
      const { cursor, limit, ...query } = props.query;
      const blob = await maturityApi.getSummaryCsv(query);
      download(blob, csvFileName());
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      <Button
        variant="outlined"
        color="primary"
        size="small"
        onClick={exportCsv}
        disabled={running}
        startIcon={
          running ? (
            <CircularProgress size={16} aria-label="Exporting" />
          ) : (
            <SaveAlt />
          )
        }
      >
        {running ? 'Exporting…' : 'Export CSV'}
      </Button>
      {error && (
        <Box mt={1}>
          <Alert severity="error" onClose={() => setError(undefined)}>
            CSV export failed: {error.message}
          </Alert>
        </Box>
      )}
    </Box>
  );
}
