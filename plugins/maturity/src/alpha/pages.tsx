import {
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import AssessmentIcon from '@material-ui/icons/Assessment';
import { Content } from '@backstage/core-components';
import { rootRouteRef, rubricRouteRef, scorecardRouteRef } from '../routes';

/**
 * The org-wide maturity page at /maturity, with the scorecard and the
 * rubric as tabs; its title and icon make the sidebar nav item.
 */
export const maturityPage = PageBlueprint.make({
  params: {
    path: '/maturity',
    title: 'Maturity',
    icon: <AssessmentIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
  },
});

export const maturityScorecardSubPage = SubPageBlueprint.make({
  name: 'scorecard',
  attachTo: { id: 'page:maturity', input: 'pages' },
  params: {
    path: 'scorecard',
    title: 'Scorecard',
    routeRef: scorecardRouteRef,
    loader: () =>
      import('../components/ScorecardContent').then(m => (
        <Content>
          <m.ScorecardContent />
        </Content>
      )),
  },
});

export const maturityRubricSubPage = SubPageBlueprint.make({
  name: 'rubric',
  attachTo: { id: 'page:maturity', input: 'pages' },
  params: {
    path: 'rubric',
    title: 'Rubric',
    routeRef: rubricRouteRef,
    loader: () =>
      import('../components/RubricContent').then(m => (
        <Content>
          <m.RubricContent />
        </Content>
      )),
  },
});
