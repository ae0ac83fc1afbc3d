import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  permissionApiRef,
  usePermission,
} from '@backstage/plugin-permission-react';
import { maturityEntityRefreshPermission } from '@cnmaturity/plugin-maturity-common';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import RefreshIcon from '@material-ui/icons/Refresh';

interface RefreshButtonProps {
  entity: Entity;
  refreshing: boolean;
  onRefresh: () => void;
  label?: string;
}

function PermittedRefreshButton(props: RefreshButtonProps) {
  const { allowed, loading } = usePermission({
    permission: maturityEntityRefreshPermission,
    resourceRef: stringifyEntityRef(props.entity),
  });
  if (loading || !allowed) return null;
  return (
    <Button
      variant="outlined"
      color="primary"
      size="small"
      disabled={props.refreshing}
      onClick={props.onRefresh}
      startIcon={
        props.refreshing ? (
          <CircularProgress size={16} aria-label="Re-evaluating" />
        ) : (
          <RefreshIcon />
        )
      }
    >
      {props.refreshing ? 'Re-evaluating…' : props.label ?? 'Re-evaluate now'}
    </Button>
  );
}

/**
 * Re-evaluates the entity now. Shown only to whoever the permission policy
 * allows `maturity.entity.refresh` on this entity; hidden while that is
 * being asked and in apps without a permission API.
 */
export function RefreshButton(props: RefreshButtonProps) {
  const hasPermissionApi = Boolean(useApiHolder().get(permissionApiRef));
  if (!hasPermissionApi) return null;
  return <PermittedRefreshButton {...props} />;
}
